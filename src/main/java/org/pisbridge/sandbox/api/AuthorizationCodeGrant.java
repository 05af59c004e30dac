package org.pisbridge.sandbox.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.authorize.IdTokens;
import org.pisbridge.sandbox.model.AuthorizationCode;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * {@code grant_type=authorization_code}: redeems the single-use code of a completed SCA for the user's
 * access token, a refresh token (the SCA that later exemptions reuse) and an ID token.
 */
final class AuthorizationCodeGrant {
    static final String SCOPE = "openid payments";

    private final SandboxContext ctx;
    private final TokenIssuer issuer;

    AuthorizationCodeGrant(SandboxContext ctx, TokenIssuer issuer) {
        this.ctx = ctx;
        this.issuer = issuer;
    }

    ApiResponse grant(RegisteredClient client, Map<String, String> form) {
        String value = form.get("code");
        if (value == null) {
            throw OAuthError.invalidRequest("code is missing");
        }
        AuthorizationCode code = ctx.state().codes.get(value);
        if (code == null || !code.clientId.equals(client.clientId)) {
            throw OAuthError.invalidGrant("the authorization code is unknown");
        }
        Instant now = ctx.clock().instant();
        synchronized (code) {
            if (code.used) {
                // RFC 6749 §4.1.2: a code used twice may be stolen; what the first use issued is revoked
                revokeIssuedFor(code);
                throw OAuthError.invalidGrant("the authorization code was already used; the tokens issued for it are revoked");
            }
            if (!now.isBefore(code.expiresAt)) {
                throw OAuthError.invalidGrant("the authorization code has expired");
            }
            if (!Objects.equals(code.redirectUri, form.get("redirect_uri"))) {
                throw OAuthError.invalidGrant("redirect_uri does not match the one of the authorization request");
            }
            code.used = true;
            ctx.state().save(code);
        }
        SandboxAuthorization authorization = ctx.state().authorizations.get(code.authorizationId);
        if (authorization == null || authorization.status != AuthorizationStatus.Authorized) {
            throw OAuthError.invalidGrant("authorization " + code.authorizationId + " is not Authorized");
        }

        // a new SCA: its refresh token starts the exemption counters afresh
        TokenGrant refresh = issuer.prepare(TokenGrant.Kind.REFRESH, client.clientId, SCOPE);
        refresh.userId = code.userId;
        refresh.authorizationId = code.authorizationId;
        refresh.scaAt = now;
        refresh.exemptionCount = 0;
        refresh.exemptionTotal = BigDecimal.ZERO;
        TokenGrant access = issuer.prepare(TokenGrant.Kind.USER, client.clientId, SCOPE);
        access.userId = code.userId;
        access.authorizationId = code.authorizationId;
        access.parentRefreshToken = refresh.token;
        String idToken = new IdTokens(ctx).forTokenResponse(client.clientId, code.authorizationId, code.userId, code.nonce,
                access.token, refresh.token);
        issuer.store(refresh);
        issuer.store(access);
        return ApiResponse.tokenJson(200, ApiJson.object()
                .put("access_token", access.token)
                .put("refresh_token", refresh.token)
                .put("id_token", idToken)
                .put("scope", SCOPE)
                .put("token_type", "bearer")
                .put("expires_in", issuer.expiresIn()));
    }

    private void revokeIssuedFor(AuthorizationCode code) {
        ctx.state().tokens.values().stream()
                .filter(t -> t.kind == TokenGrant.Kind.REFRESH || t.kind == TokenGrant.Kind.USER)
                .filter(t -> code.clientId.equals(t.clientId) && code.authorizationId.equals(t.authorizationId)
                        && Objects.equals(code.userId, t.userId))
                .forEach(issuer::revoke);
    }
}
