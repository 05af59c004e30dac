package org.pisbridge.sandbox.authorize;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.pisbridge.sandbox.IdTokenFault;
import org.pisbridge.sandbox.IdTokenShape;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SigningKeys;

/**
 * Issues ID tokens as OP's document describes them: RS256 with the bank's ID-token key (kid in the
 * header, typ JWT) — or ES256 with its EC key where the settings say so —, {@code sub} and
 * {@code authorizationId} both the authorizationId, {@code aud} the client id, acr
 * {@code urn:openbanking:psd2:sca}; the front channel adds s_hash and c_hash, the token endpoint at_hash
 * and rt_hash. An armed {@link IdTokenFault} that applies to the token being issued
 * spoils it in exactly that one way; an armed {@link IdTokenShape} gives the ID tokens of the next
 * authorization (front channel and token endpoint) that valid form.
 */
public final class IdTokens {
    static final String ACR_SCA = "urn:openbanking:psd2:sca";
    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private static final Set<IdTokenFault> COMMON = EnumSet.of(IdTokenFault.WRONG_SIGNATURE, IdTokenFault.ALG_NONE,
            IdTokenFault.UNKNOWN_KID, IdTokenFault.WRONG_NONCE, IdTokenFault.WRONG_AUD, IdTokenFault.WRONG_ISS,
            IdTokenFault.WRONG_ACR, IdTokenFault.WRONG_AUTHORIZATION_ID, IdTokenFault.EXPIRED, IdTokenFault.AUD_WITH_UNKNOWN,
            IdTokenFault.IAT_A_WEEK_OLD, IdTokenFault.NO_SUB, IdTokenFault.OTHER_ALGORITHM);
    private static final Set<IdTokenFault> FRONT_CHANNEL = with(COMMON, IdTokenFault.WRONG_S_HASH,
            IdTokenFault.MISSING_S_HASH, IdTokenFault.WRONG_C_HASH, IdTokenFault.MISSING_C_HASH);
    private static final Set<IdTokenFault> TOKEN_ENDPOINT = with(COMMON, IdTokenFault.WRONG_AT_HASH,
            IdTokenFault.MISSING_AT_HASH, IdTokenFault.WRONG_RT_HASH, IdTokenFault.MISSING_RT_HASH);

    private final SandboxContext ctx;

    public IdTokens(SandboxContext ctx) {
        this.ctx = ctx;
    }

    /** Front channel ({@code response_type=code id_token}): carries s_hash and c_hash. */
    public String forAuthorizationResponse(String clientId, String authorizationId, String userId, String nonce,
                                           String state, String code) {
        IdTokenFault fault = ctx.faults().takeIdTokenFault(FRONT_CHANNEL).orElse(null);
        IdTokenShape shape = ctx.faults().idTokenShapeAtAuthorization(authorizationId).orElse(null);
        JWTClaimsSet.Builder claims = commonClaims(clientId, authorizationId, nonce, fault);
        hashClaim(claims, "s_hash", state, fault, IdTokenFault.WRONG_S_HASH, IdTokenFault.MISSING_S_HASH);
        hashClaim(claims, "c_hash", code, fault, IdTokenFault.WRONG_C_HASH, IdTokenFault.MISSING_C_HASH);
        return sign(claims.build(), fault, shape);
    }

    /**
     * Token endpoint (authorization_code grant): carries at_hash and rt_hash ({@code rt_hash} only
     * when a refresh token is issued). The user is not disclosed: as at OP, {@code sub} is the
     * authorizationId.
     */
    public String forTokenResponse(String clientId, String authorizationId, String userId, String nonce,
                                   String accessToken, String refreshToken) {
        IdTokenFault fault = ctx.faults().takeIdTokenFault(TOKEN_ENDPOINT).orElse(null);
        IdTokenShape shape = ctx.faults().idTokenShapeAtTokenEndpoint(authorizationId).orElse(null);
        JWTClaimsSet.Builder claims = commonClaims(clientId, authorizationId, nonce, fault);
        hashClaim(claims, "at_hash", accessToken, fault, IdTokenFault.WRONG_AT_HASH, IdTokenFault.MISSING_AT_HASH);
        if (refreshToken != null) {
            hashClaim(claims, "rt_hash", refreshToken, fault, IdTokenFault.WRONG_RT_HASH, IdTokenFault.MISSING_RT_HASH);
        }
        return sign(claims.build(), fault, shape);
    }

    /** OIDC's token hash for RS256 and ES256 alike: base64url of the left-most 128 bits of SHA-256 over the value. */
    private static String halfHash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(Arrays.copyOf(digest, digest.length / 2)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JCA algorithm", e);
        }
    }

    private JWTClaimsSet.Builder commonClaims(String clientId, String authorizationId, String nonce,
                                              IdTokenFault fault) {
        Instant now = ctx.clock().instant();
        // Far enough in the past that no verifier's clock-skew allowance accepts it.
        Instant issued = fault == IdTokenFault.EXPIRED ? now.minus(LIFETIME).minus(Duration.ofMinutes(10))
                : fault == IdTokenFault.IAT_A_WEEK_OLD ? now.minus(Duration.ofDays(7)) : now;
        Instant expires = fault == IdTokenFault.IAT_A_WEEK_OLD ? now.plus(LIFETIME) : issued.plus(LIFETIME);
        return new JWTClaimsSet.Builder()
                .issuer(fault == IdTokenFault.WRONG_ISS ? ctx.authorizeBaseUrl() + "/other-issuer" : ctx.authorizeBaseUrl())
                .issueTime(Date.from(issued))
                .expirationTime(Date.from(expires))
                .subject(fault == IdTokenFault.NO_SUB ? null : authorizationId)
                .claim("acr", fault == IdTokenFault.WRONG_ACR ? "urn:openbanking:psd2:ca" : ACR_SCA)
                .claim("authorizationId", fault == IdTokenFault.WRONG_AUTHORIZATION_ID
                        ? UUID.randomUUID().toString() : authorizationId)
                .audience(fault == IdTokenFault.WRONG_AUD ? List.of(clientId + "-other")
                        : fault == IdTokenFault.AUD_WITH_UNKNOWN ? List.of(clientId, "https://unknown-party.example")
                        : List.of(clientId))
                .claim("nonce", fault == IdTokenFault.WRONG_NONCE ? nonce + "-other" : nonce);
    }

    private static void hashClaim(JWTClaimsSet.Builder claims, String name, String value, IdTokenFault fault,
                                  IdTokenFault wrong, IdTokenFault missing) {
        if (fault == missing) {
            return;
        }
        claims.claim(name, halfHash(fault == wrong ? value + "-other" : value));
    }

    /**
     * Signs with the current key of the configured algorithm, or as the fault says. Signs the claims as a
     * JSON map rather than a {@code JWTClaimsSet}, which would write a one-element audience as a string.
     */
    private String sign(JWTClaimsSet claims, IdTokenFault fault, IdTokenShape shape) {
        Map<String, Object> json = claims.toJSONObject();
        if (shape == IdTokenShape.AUD_AS_ONE_ELEMENT_ARRAY) {
            json.put("aud", List.copyOf(claims.getAudience()));
        }
        Payload payload = new Payload(json);
        if (fault == IdTokenFault.ALG_NONE) {
            return new PlainObject(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(), payload).serialize();
        }
        SigningKeys keys = ctx.idTokenKeys();
        // OTHER_ALGORITHM: a real signature by a published key, of the algorithm the bank does not sign ID tokens with
        JWK key = fault == IdTokenFault.OTHER_ALGORITHM ? keys.otherKey() : keys.signingKey();
        String kid = fault == IdTokenFault.UNKNOWN_KID ? key.getKeyID() + "-unknown" : key.getKeyID();
        try {
            JWK signingKey = fault == IdTokenFault.WRONG_SIGNATURE ? unpublishedKeyLike(key) : key;
            JWSObject jws = new JWSObject(new JWSHeader.Builder(algorithmOf(key))
                    .type(JOSEObjectType.JWT).keyID(kid).build(), payload);
            jws.sign(signingKey instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner(signingKey.toECKey()));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an ID token", e);
        }
    }

    /** The bank's keys are RSA 2048 for RS256 and EC P-256 for ES256. */
    private static JWSAlgorithm algorithmOf(JWK key) {
        return key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
    }

    private static JWK unpublishedKeyLike(JWK key) throws JOSEException {
        return key instanceof RSAKey ? new RSAKeyGenerator(2048).generate()
                : new ECKeyGenerator(Curve.P_256).generate();
    }

    private static Set<IdTokenFault> with(Set<IdTokenFault> base, IdTokenFault... more) {
        EnumSet<IdTokenFault> all = EnumSet.copyOf(base);
        all.addAll(Arrays.asList(more));
        return all;
    }
}
