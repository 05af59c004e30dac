package org.pisbridge.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
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
        // Interim version (inline jwks only) until the sandbox-api branch's full one is merged.
        try {
            if (!(JWTParser.parse(compactJwt) instanceof SignedJWT jwt)) {
                throw SandboxError.security("the JWT is not signed");
            }
            JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
            if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg)) {
                throw SandboxError.security("JWT algorithm " + alg + " is not accepted; use RS256 or ES256");
            }
            String kid = jwt.getHeader().getKeyID();
            JWK key = kid == null || client.jwks == null ? null : client.jwks.getKeyByKeyId(kid);
            if (key == null) {
                throw SandboxError.security("no registered key of client " + client.clientId + " has kid " + kid);
            }
            JWSVerifier verifier = key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier(key.toRSAKey());
            if (!jwt.verify(verifier)) {
                throw SandboxError.security("the JWT signature does not verify");
            }
            return jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException e) {
            throw SandboxError.security("the JWT cannot be read or verified");
        }
    }

    /** Verifies a detached JWS {@code header..signature} over the exact {@code body} bytes. Throws {@link SandboxError} (SECURITY). */
    public void verifyDetached(RegisteredClient client, String detachedJws, byte[] body) {
        throw new UnsupportedOperationException("implemented on the sandbox-api branch");
    }
}
