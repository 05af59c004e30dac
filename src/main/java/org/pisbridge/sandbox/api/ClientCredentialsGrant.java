package org.pisbridge.sandbox.api;

import java.util.Map;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * {@code grant_type=client_credentials&scope=payments}: the client's own token, which creates payments.
 * Answered exactly as OP documents it, {@code expires_in} a string and {@code status} approved.
 */
final class ClientCredentialsGrant {
    private final TokenIssuer issuer;

    ClientCredentialsGrant(TokenIssuer issuer) {
        this.issuer = issuer;
    }

    ApiResponse grant(RegisteredClient client, Map<String, String> form) {
        if (!"payments".equals(form.get("scope"))) {
            throw OAuthError.invalidScope("scope must be payments");
        }
        TokenGrant token = issuer.store(issuer.prepare(TokenGrant.Kind.CLIENT, client.clientId, "payments"));
        return ApiResponse.tokenJson(200, ApiJson.object()
                .put("token_type", "bearer")
                .put("access_token", token.token)
                .put("scope", "payments")
                .put("status", "approved")
                .put("expires_in", Long.toString(issuer.expiresIn())));
    }
}
