package org.pisbridge.sandbox.api;

import java.time.Duration;
import java.time.Instant;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SecureRandomString;
import org.pisbridge.sandbox.model.TokenGrant;

/** Makes and records the tokens the token endpoint hands out. */
final class TokenIssuer {
    private final SandboxContext ctx;

    TokenIssuer(SandboxContext ctx) {
        this.ctx = ctx;
    }

    /** A new grant of {@code kind}, not yet stored: the caller fills it in and {@link #store}s it. */
    TokenGrant prepare(TokenGrant.Kind kind, String clientId, String scope) {
        Instant now = ctx.clock().instant();
        TokenGrant grant = new TokenGrant();
        grant.token = SecureRandomString.of(kind == TokenGrant.Kind.REFRESH ? 30 : 21);
        grant.kind = kind;
        grant.clientId = clientId;
        grant.scope = scope;
        grant.issuedAt = now;
        Duration ttl = kind == TokenGrant.Kind.REFRESH ? ctx.settings().refreshTokenTtl() : ctx.settings().accessTokenTtl();
        grant.expiresAt = now.plus(ttl);
        return grant;
    }

    TokenGrant store(TokenGrant grant) {
        synchronized (grant) {
            ctx.state().tokens.put(grant.token, grant);
            ctx.state().save(grant);
        }
        return grant;
    }

    /** OP reports the remaining whole seconds of a fresh token: 86399 for a day, 3599 for an hour. */
    long expiresIn() {
        return ctx.settings().accessTokenTtl().toSeconds() - 1;
    }

    /**
     * Revokes a grant and, for a refresh token, every access token issued from it or from the
     * refresh tokens it replaced: the grant is one authorization, whatever rotations it went through.
     */
    void revoke(TokenGrant grant) {
        synchronized (grant) {
            grant.revoked = true;
            ctx.state().save(grant);
        }
        if (grant.kind == TokenGrant.Kind.REFRESH) {
            ctx.state().tokens.values().stream()
                    .filter(t -> grant.token.equals(t.parentRefreshToken)
                            || grant.token.equals(t.replacedBy))
                    .forEach(this::revoke);
        }
    }
}
