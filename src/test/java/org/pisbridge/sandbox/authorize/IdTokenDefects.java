package org.pisbridge.sandbox.authorize;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
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
 * @param hashes the hash claims the token must carry: claim name → the value it hashes
 */
record IdTokenDefects(String issuer, String clientId, String nonce, String authorizationId, Map<String, String> hashes) {

    Set<String> of(String token, JWKSet jwks) throws Exception {
        Set<String> defects = new LinkedHashSet<>();
        JWT jwt = JWTParser.parse(token);
        if (!(jwt instanceof SignedJWT signed)) {
            defects.add("ALG_NONE");
            return defects;
        }
        if (!JWSAlgorithm.RS256.equals(signed.getHeader().getAlgorithm())
                || !JOSEObjectType.JWT.equals(signed.getHeader().getType())) {
            defects.add("HEADER");
        }
        JWK key = jwks.getKeyByKeyId(signed.getHeader().getKeyID());
        if (key == null) {
            defects.add("UNKNOWN_KID");
        } else if (!signed.verify(new RSASSAVerifier(key.toRSAKey()))) {
            defects.add("WRONG_SIGNATURE");
        }
        JWTClaimsSet claims = signed.getJWTClaimsSet();
        if (!issuer.equals(claims.getIssuer())) {
            defects.add("WRONG_ISS");
        }
        if (!List.of(clientId).equals(claims.getAudience())) {
            defects.add("WRONG_AUD");
        }
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || iat == null || !exp.after(iat)) {
            defects.add("TIMES");
        } else if (!exp.after(new Date())) {
            defects.add("EXPIRED");
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
        if (!authorizationId.equals(claims.getSubject())) {
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
