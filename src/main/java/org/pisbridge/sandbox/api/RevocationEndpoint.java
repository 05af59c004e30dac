package org.pisbridge.sandbox.api;

import java.util.Map;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * {@code POST /oauth/revoke} (RFC 7009): the client revokes one of its tokens. An unknown token is
 * answered 200 as if revoked; revoking a refresh token also ends the access tokens issued from it.
 */
final class RevocationEndpoint {
    private final SandboxContext ctx;
    private final ClientAuthentication authentication;
    private final TokenIssuer issuer;

    RevocationEndpoint(SandboxContext ctx) {
        this.ctx = ctx;
        this.authentication = new ClientAuthentication(ctx);
        this.issuer = new TokenIssuer(ctx);
    }

    ApiResponse handle(ApiRequest request) {
        Map<String, String> form = request.form();
        RegisteredClient client = authentication.authenticate(request, form);
        String token = form.get("token");
        if (token == null) {
            throw OAuthError.invalidRequest("token is missing");
        }
        TokenGrant grant = ctx.state().tokens.get(token);
        if (grant != null) {
            if (!grant.clientId.equals(client.clientId)) {
                // RFC 7009 §2.1: a token of another client is refused, not revoked
                throw OAuthError.invalidGrant("the token was not issued to this client");
            }
            issuer.revoke(grant);
        }
        return ApiResponse.empty(200);
    }
}
