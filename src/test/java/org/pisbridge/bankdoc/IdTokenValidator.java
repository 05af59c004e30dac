package org.pisbridge.bankdoc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;

/**
 * Validates the bank's ID tokens as the document's "ID tokens" section asks: OIDC core checks (signature by the
 * ID-token JWKS, iss, aud, exp, nonce, never alg none) plus acr, authorizationId, and s_hash/c_hash (front
 * channel) or at_hash/rt_hash (token endpoint). Throws {@link IdTokenRejected} naming the first failed check.
 */
final class IdTokenValidator {
    private final BankJwks jwks;
    private final String issuer;
    private final String clientId;

    IdTokenValidator(BankJwks jwks, String issuer, String clientId) {
        this.jwks = jwks;
        this.issuer = issuer;
        this.clientId = clientId;
    }

    /** Alternative 1 of the document: the ID token received in the redirection URI. */
    JWTClaimsSet validateFrontChannel(String idToken, String nonce, String authorizationId, String state, String code) {
        SignedJWT jwt = verified(idToken);
        JWTClaimsSet claims = common(jwt, nonce, authorizationId);
        requireHash(jwt, claims, "s_hash", state);
        requireHash(jwt, claims, "c_hash", code);
        return claims;
    }

    /** Alternative 2 of the document: the ID token in the access token response body. */
    JWTClaimsSet validateTokenEndpoint(String idToken, String nonce, String authorizationId, String accessToken,
                                       String refreshToken) {
        SignedJWT jwt = verified(idToken);
        JWTClaimsSet claims = common(jwt, nonce, authorizationId);
        requireHash(jwt, claims, "at_hash", accessToken);
        requireHash(jwt, claims, "rt_hash", refreshToken);
        return claims;
    }

    private SignedJWT verified(String idToken) {
        JWT parsed;
        try {
            parsed = JWTParser.parse(idToken);
        } catch (ParseException e) {
            throw new IdTokenRejected("does not parse");
        }
        if (!(parsed instanceof SignedJWT jwt)) {
            throw new IdTokenRejected("is not signed (alg none)");
        }
        if (!JWSAlgorithm.Family.SIGNATURE.contains(jwt.getHeader().getAlgorithm())) {
            throw new IdTokenRejected("uses " + jwt.getHeader().getAlgorithm() + ", not an asymmetric signature");
        }
        try {
            var key = ((AsymmetricJWK) jwks.key(jwt.getHeader().getKeyID())).toPublicKey();
            if (!jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key))) {
                throw new IdTokenRejected("signature does not verify");
            }
        } catch (JOSEException e) {
            throw new IdTokenRejected("signature cannot be verified");
        } catch (AssertionError e) {
            throw new IdTokenRejected("is signed with a key the bank does not publish");
        }
        return jwt;
    }

    private JWTClaimsSet common(SignedJWT jwt, String nonce, String authorizationId) {
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IdTokenRejected("claims do not parse");
        }
        require(issuer.equals(claims.getIssuer()), "iss is not " + issuer);
        require(claims.getAudience() != null && claims.getAudience().contains(clientId), "aud does not name the client");
        Date exp = claims.getExpirationTime();
        require(exp != null && exp.toInstant().isAfter(Instant.now()), "is expired");
        require(claims.getIssueTime() != null, "has no iat");
        require(nonce.equals(claim(claims, "nonce")), "nonce is not the request's");
        require(RequestObject.ACR_SCA.equals(claim(claims, "acr")), "acr is not " + RequestObject.ACR_SCA);
        require(authorizationId.equals(claim(claims, "authorizationId")), "authorizationId is not the one authorized");
        require(authorizationId.equals(claims.getSubject()), "sub is not the authorizationId");
        return claims;
    }

    private static void requireHash(SignedJWT jwt, JWTClaimsSet claims, String name, String value) {
        String hash = claim(claims, name);
        require(hash != null, "has no " + name);
        require(hash.equals(leftHalfHash(jwt.getHeader().getAlgorithm(), value)), name + " does not match");
    }

    /** OIDC core 3.3.2.11: base64url of the left-most half of the hash named by the ID token's alg. */
    static String leftHalfHash(JWSAlgorithm alg, String value) {
        String digest = Map.of("256", "SHA-256", "384", "SHA-384", "512", "SHA-512")
                .get(alg.getName().substring(alg.getName().length() - 3));
        if (digest == null) {
            throw new IdTokenRejected("alg " + alg + " has no hash for " + "token hashes");
        }
        try {
            byte[] hash = MessageDigest.getInstance(digest).digest(value.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(Arrays.copyOf(hash, hash.length / 2)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String claim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value == null ? null : value.toString();
    }

    private static void require(boolean condition, String failure) {
        if (!condition) {
            throw new IdTokenRejected(failure);
        }
    }

    /** An ID token the TPP must not accept; the message names the check, never the token. */
    static final class IdTokenRejected extends RuntimeException {
        IdTokenRejected(String reason) {
            super("ID token rejected: " + reason);
        }
    }
}
