package org.pisbridge.sandbox;

import com.nimbusds.jwt.JWTClaimsSet;
import org.pisbridge.sandbox.model.RegisteredClient;

/**
 * Verifies what a TPP signs (request objects, exemption assertions, detached x-jws-signature)
 * against the keys the client registered (inline JWKS or jwks_uri). RS256 and ES256 only.
 */
public final class ClientSignatures {
    private final SandboxContext ctx;

    public ClientSignatures(SandboxContext ctx) {
        this.ctx = ctx;
    }

    /** Verifies a compact JWT signed by {@code client}; returns its claims. Throws {@link SandboxError} (SECURITY). */
    public JWTClaimsSet verifyJwt(RegisteredClient client, String compactJwt) {
        throw new UnsupportedOperationException("implemented on the sandbox-api branch");
    }

    /** Verifies a detached JWS {@code header..signature} over the exact {@code body} bytes. Throws {@link SandboxError} (SECURITY). */
    public void verifyDetached(RegisteredClient client, String detachedJws, byte[] body) {
        throw new UnsupportedOperationException("implemented on the sandbox-api branch");
    }
}
