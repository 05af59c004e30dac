package org.pisbridge.sandbox.api;

import java.util.Map;
import java.util.Set;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * {@code grant_type=refresh_token}: a new user access token (the one that creates exemption payments)
 * and a rotated refresh token; the old refresh token stops working, the SCA time and exemption
 * counters move to the new one.
 */
final class RefreshTokenGrant {
    private final SandboxContext ctx;
    private final TokenIssuer issuer;

    RefreshTokenGrant(SandboxContext ctx, TokenIssuer issuer) {
        this.ctx = ctx;
        this.issuer = issuer;
    }

    ApiResponse grant(RegisteredClient client, Map<String, String> form) {
        String value = form.get("refresh_token");
        if (value == null) {
            throw OAuthError.invalidRequest("refresh_token is missing");
        }
        TokenGrant old = ctx.state().tokens.get(value);
        if (old == null || old.kind != TokenGrant.Kind.REFRESH || !old.clientId.equals(client.clientId)) {
            throw OAuthError.invalidGrant("the refresh token is unknown");
        }
        String scope = scope(form.get("scope"), old.scope);
        TokenGrant next = issuer.prepare(TokenGrant.Kind.REFRESH, client.clientId, old.scope);
        synchronized (old) {
            if (!old.isActive(ctx.clock().instant())) {
                throw OAuthError.invalidGrant("the refresh token is expired or revoked");
            }
            next.userId = old.userId;
            next.authorizationId = old.authorizationId;
            next.scaAt = old.scaAt;
            next.exemptionCount = old.exemptionCount;
            next.exemptionTotal = old.exemptionTotal;
            // stored before the old one is released, so whoever follows replacedBy finds it
            issuer.store(next);
            old.revoked = true;
            old.replacedBy = next.token;
            ctx.state().save(old);
        }
        TokenGrant access = issuer.prepare(TokenGrant.Kind.USER, client.clientId, scope);
        access.userId = next.userId;
        access.authorizationId = next.authorizationId;
        access.parentRefreshToken = next.token;
        issuer.store(access);
        return ApiResponse.tokenJson(200, ApiJson.object()
                .put("access_token", access.token)
                .put("refresh_token", next.token)
                .put("scope", scope)
                .put("token_type", "bearer")
                .put("expires_in", issuer.expiresIn()));
    }

    /** RFC 6749 §6: a requested scope may narrow the original one, never widen it. */
    private static String scope(String requested, String granted) {
        if (requested == null) {
            return granted;
        }
        Set<String> allowed = Set.of(granted.split(" "));
        for (String s : requested.trim().split(" +")) {
            if (!allowed.contains(s)) {
                throw OAuthError.invalidScope("scope " + s + " was not granted by the user's authorization");
            }
        }
        return requested.trim();
    }
}
