package org.pisbridge.sandbox.authorize;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a TPP following OP's document would find wrong with an ID token, named like the
 * {@code IdTokenFault} that causes it. Written independently of {@link IdTokens}: the hashes are
 * computed here from the document's definition.
 *
 * @param hashes    the hash claims the token must carry: claim name → the value it hashes
 * @param algorithm what the bank signs ID tokens with (RS256 at OP)
 */
record IdTokenDefects(String issuer, String clientId, String nonce, String authorizationId, Map<String, String> hashes,
                      JWSAlgorithm algorithm) {

    IdTokenDefects(String issuer, String clientId, String nonce, String authorizationId, Map<String, String> hashes) {
        this(issuer, clientId, nonce, authorizationId, hashes, JWSAlgorithm.RS256);
    }

    Set<String> of(String token, JWKSet jwks) throws Exception {
        Set<String> defects = new LinkedHashSet<>();
        JWT jwt = JWTParser.parse(token);
        if (!(jwt instanceof SignedJWT signed)) {
            defects.add("ALG_NONE");
            return defects;
        }
        if (!JOSEObjectType.JWT.equals(signed.getHeader().getType())) {
            defects.add("HEADER");
        }
        JWK key = jwks.getKeyByKeyId(signed.getHeader().getKeyID());
        if (!algorithm.equals(signed.getHeader().getAlgorithm())) {
            // the bank signs ID tokens with one algorithm: another is refused, whoever's key it names
            defects.add("OTHER_ALGORITHM");
        } else if (key == null) {
            defects.add("UNKNOWN_KID");
        } else if (!verifiedBy(signed, key)) {
            defects.add("WRONG_SIGNATURE");
        }
        JWTClaimsSet claims = signed.getJWTClaimsSet();
        if (!issuer.equals(claims.getIssuer())) {
            defects.add("WRONG_ISS");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(clientId)) {
            defects.add("WRONG_AUD");
        } else if (claims.getAudience().size() > 1 && !clientId.equals(claims.getClaim("azp"))) {
            // OIDC Core 3.1.3.7: several audiences need an azp naming this client
            defects.add("AUD_WITH_UNKNOWN");
        }
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || iat == null || !exp.after(iat)) {
            defects.add("TIMES");
        } else if (!exp.after(new Date())) {
            defects.add("EXPIRED");
        } else if (iat.toInstant().isBefore(java.time.Instant.now().minus(java.time.Duration.ofHours(1)))) {
            defects.add("IAT_A_WEEK_OLD");
        }
        if (!nonce.equals(claims.getClaim("nonce"))) {
            defects.add("WRONG_NONCE");
        }
        if (!"urn:openbanking:psd2:sca".equals(claims.getClaim("acr"))) {
            defects.add("WRONG_ACR");
        }
        if (!authorizationId.equals(claims.getClaim("authorizationId"))) {
            defects.add("WRONG_AUTHORIZATION_ID");
        }
        if (claims.getSubject() == null) {
            defects.add("NO_SUB");
        } else if (!authorizationId.equals(claims.getSubject())) {
            defects.add("SUB");
        }
        hashes.forEach((claim, value) -> {
            String name = claim.toUpperCase();
            if (claims.getClaim(claim) == null) {
                defects.add("MISSING_" + name);
            } else if (!halfSha256(value).equals(claims.getClaim(claim))) {
                defects.add("WRONG_" + name);
            }
        });
        for (String unexpected : List.of("s_hash", "c_hash", "at_hash", "rt_hash")) {
            if (!hashes.containsKey(unexpected) && claims.getClaim(unexpected) != null) {
                defects.add("UNEXPECTED_" + unexpected.toUpperCase());
            }
        }
        return defects;
    }

    /** Whether {@code key}, RSA or EC, verifies the signature of {@code signed}. */
    static boolean verifiedBy(SignedJWT signed, JWK key) throws JOSEException {
        return signed.verify(key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier(key.toECKey()));
    }

    /** OIDC Core 3.3.2.11 / OP's document: left-most 128 bits of SHA-256 over the ASCII value, base64url. */
    static String halfSha256(String value) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return Base64URL.encode(Arrays.copyOfRange(digest, 0, 16)).toString();
    }
}
