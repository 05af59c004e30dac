package org.pisbridge.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.pisbridge.sandbox.model.RegisteredClient;

/**
 * Verifies what a TPP signs (request objects, exemption assertions, detached x-jws-signature)
 * against the keys the client registered (inline JWKS or jwks_uri). RS256 and ES256 only.
 */
public final class ClientSignatures {
    /** Clock difference tolerated on exp and nbf of client JWTs. */
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final SandboxContext ctx;
    private final RemoteJwks remoteJwks;
    /** ES256 verifiers by key, made once (a few keys per client). */
    private final java.util.Map<ECKey, JWSVerifier> ecVerifiers = new java.util.concurrent.ConcurrentHashMap<>();

    public ClientSignatures(SandboxContext ctx) {
        this.ctx = ctx;
        this.remoteJwks = new RemoteJwks(ctx.keys().serverSsl(), ctx.clock());
    }

    /** Verifies the signature of a compact JWT signed by {@code client}; returns its claims (times unchecked: {@link #requireCurrent}). Throws {@link SandboxError} (SECURITY). */
    public JWTClaimsSet verifyJwt(RegisteredClient client, String compactJwt) {
        JWT parsed;
        try {
            parsed = JWTParser.parse(compactJwt);
        } catch (ParseException e) {
            throw SandboxError.security("the JWT cannot be parsed");
        }
        if (parsed instanceof PlainJWT) {
            throw SandboxError.security("unsigned JWT (alg none) is not accepted; sign with RS256 or ES256");
        }
        if (parsed instanceof EncryptedJWT || !(parsed instanceof SignedJWT jwt)) {
            throw SandboxError.security("the JWT must be signed (JWS), not encrypted");
        }
        JWSHeader header = jwt.getHeader();
        if (!verify(client, header, jwt.getSigningInput(), jwt.getSignature())) {
            throw SandboxError.security("the JWT signature does not verify with the client's key " + header.getKeyID());
        }
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw SandboxError.security("the JWT claims cannot be parsed");
        }
    }

    /** Verifies a detached JWS {@code header..signature} over the exact {@code body} bytes. Throws {@link SandboxError} (SECURITY). */
    public void verifyDetached(RegisteredClient client, String detachedJws, byte[] body) {
        String[] parts = detachedJws.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[1].isEmpty() || parts[2].isEmpty()) {
            throw SandboxError.security("x-jws-signature is not a detached JWS (header..signature)");
        }
        JWSHeader header;
        try {
            header = JWSHeader.parse(new Base64URL(parts[0]));
        } catch (ParseException e) {
            throw SandboxError.security("x-jws-signature has an unreadable JOSE header");
        }
        if (!header.isBase64URLEncodePayload()) {
            throw SandboxError.security("x-jws-signature with b64=false is not accepted; sign the base64url-encoded body (RFC 7515 appendix F)");
        }
        Base64URL payload = Base64URL.encode(body);
        byte[] signingInput = (parts[0] + "." + payload).getBytes(StandardCharsets.US_ASCII);
        if (!verify(client, header, signingInput, new Base64URL(parts[2]))) {
            throw SandboxError.security("x-jws-signature does not verify over the request body");
        }
    }

    private boolean verify(RegisteredClient client, JWSHeader header, byte[] signingInput, Base64URL signature) {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg)) {
            throw SandboxError.security("signature algorithm " + alg + " is not accepted; use RS256 or ES256");
        }
        String kid = header.getKeyID();
        if (kid == null || kid.isBlank()) {
            throw SandboxError.security("the JOSE header has no kid");
        }
        try {
            return verifier(alg, key(client, kid)).verify(header, signingInput, signature);
        } catch (JOSEException e) {
            throw SandboxError.security("the signature with kid " + kid + " cannot be verified: " + e.getMessage());
        }
    }

    /**
     * The key in BouncyCastle's own form, kept with its verifier: BouncyCastle precomputes for the
     * key's point at its first verification and keeps it there; a JDK key is converted anew, and the
     * precomputation lost, at every verification.
     */
    private static java.security.interfaces.ECPublicKey bouncyCastleForm(ECKey key) throws JOSEException {
        try {
            return (java.security.interfaces.ECPublicKey) java.security.KeyFactory.getInstance("EC",
                    BouncyCastleProviderSingleton.getInstance()).translateKey(key.toECPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            return key.toECPublicKey();
        }
    }

    private JWK key(RegisteredClient client, String kid) {
        if (client.jwks != null) {
            JWK key = client.jwks.getKeyByKeyId(kid);
            if (key != null) {
                return key;
            }
        }
        if (client.jwksUri != null) {
            JWK key = remoteJwks.get(client.jwksUri, false).getKeyByKeyId(kid);
            if (key == null) {
                key = remoteJwks.get(client.jwksUri, true).getKeyByKeyId(kid);
            }
            if (key != null) {
                return key;
            }
        }
        throw SandboxError.security("unknown kid " + kid + ": no such key is registered for client " + client.clientId);
    }

    private JWSVerifier verifier(JWSAlgorithm alg, JWK key) throws JOSEException {
        if (JWSAlgorithm.ES256.equals(alg)) {
            if (!(key instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
                throw SandboxError.security("key " + key.getKeyID() + " is not an EC P-256 key, ES256 needs one");
            }
            JWSVerifier known = ecVerifiers.get(ec);
            if (known != null) {
                return known;
            }
            if (ecVerifiers.size() >= 256) {
                ecVerifiers.clear();
            }
            ECDSAVerifier verifier = new ECDSAVerifier(bouncyCastleForm(ec));
            // BouncyCastle verifies ES256 several times faster than the JDK provider
            verifier.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
            ecVerifiers.put(ec, verifier);
            return verifier;
        }
        if (!(key instanceof RSAKey rsa)) {
            throw SandboxError.security("key " + key.getKeyID() + " is not an RSA key, RS256 needs one");
        }
        return new RSASSAVerifier(rsa);
    }

    /**
     * Refuses a JWT past its exp or before its nbf. Separate from the signature check: an
     * authorization request with a stale request object is answered to the client's redirect_uri.
     */
    public void requireCurrent(JWTClaimsSet claims) {
        Instant now = ctx.clock().instant();
        Date exp = claims.getExpirationTime();
        if (exp != null && now.minus(SKEW).isAfter(exp.toInstant())) {
            throw SandboxError.security("the JWT has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(SKEW).isBefore(nbf.toInstant())) {
            throw SandboxError.security("the JWT is not valid yet (nbf)");
        }
    }
}
