package org.pisbridge.sandbox.api;

import java.util.Map;
import java.util.Set;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.model.RegisteredClient;

/**
 * {@code POST /oauth/token}: authenticates the client, then runs the grant it asks for, if the client
 * registered that grant type.
 */
final class TokenEndpoint {
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final Set<String> GRANT_TYPES = Set.of("client_credentials", "authorization_code", "refresh_token", JWT_BEARER);

    private final ClientAuthentication authentication;
    private final ClientCredentialsGrant clientCredentials;
    private final AuthorizationCodeGrant authorizationCode;
    private final RefreshTokenGrant refreshToken;
    private final ExemptionGrant exemption;

    TokenEndpoint(SandboxContext ctx) {
        TokenIssuer issuer = new TokenIssuer(ctx);
        this.authentication = new ClientAuthentication(ctx);
        this.clientCredentials = new ClientCredentialsGrant(issuer);
        this.authorizationCode = new AuthorizationCodeGrant(ctx, issuer);
        this.refreshToken = new RefreshTokenGrant(ctx, issuer);
        this.exemption = new ExemptionGrant(ctx, issuer);
    }

    ApiResponse handle(ApiRequest request) {
        Map<String, String> form = request.form();
        RegisteredClient client = authentication.authenticate(request, form);
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw OAuthError.invalidRequest("grant_type is missing");
        }
        if (!GRANT_TYPES.contains(grantType)) {
            throw new OAuthError(400, "unsupported_grant_type", "grant_type " + grantType + " is not supported");
        }
        if (!client.grantTypes.contains(grantType)) {
            throw OAuthError.unauthorizedClient("client " + client.clientId + " has not registered grant type " + grantType);
        }
        return switch (grantType) {
            case "client_credentials" -> clientCredentials.grant(client, form);
            case "authorization_code" -> authorizationCode.grant(client, form);
            case "refresh_token" -> refreshToken.grant(client, form);
            default -> exemption.grant(client, form);
        };
    }
}
