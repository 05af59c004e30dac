package org.pisbridge.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.jose.BankKeys;

/**
 * Validates an ID token per OIDC Core §3.1.3.7 / §3.3.2.11, FAPI and the bank document: the bank's
 * one algorithm ({@link IdTokenRules}) and a signature with its ID-token JWKS (never {@code none}),
 * iss, aud (several audiences only with azp naming this client), exp, iat (not older than the
 * profile allows), sub, auth_time against max_age, nonce, acr, authorizationId, and the hashes
 * that bind it to what came with it: s_hash and c_hash in the redirect, at_hash and rt_hash from
 * the token endpoint.
 */
public final class IdTokenValidator {
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final BankConnection bank;
    private final IdTokenRules rules;
    private final Clock clock;

    public IdTokenValidator(BankConnection bank, IdTokenRules rules, Clock clock) {
        this.bank = bank;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * @param hashed claim name → the value it must be the hash of, e.g. {@code s_hash → state}
     * @throws InvalidIdToken naming the first check that failed
     */
    public JWTClaimsSet validate(String idToken, String nonce, String authorizationId, Map<String, String> hashed)
            throws InvalidIdToken {
        return validate(idToken, nonce, authorizationId, hashed, clock.instant());
    }

    /**
     * As {@link #validate(String, String, String, Map)}, with its times judged as of {@code received}:
     * an answer stored when it arrived and validated after a restart is as fresh as it was then.
     */
    public JWTClaimsSet validate(String idToken, String nonce, String authorizationId, Map<String, String> hashed,
                                 Instant received) throws InvalidIdToken {
        if (idToken == null || idToken.isBlank()) {
            throw new InvalidIdToken("no id_token");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(idToken);
        } catch (ParseException e) {
            throw new InvalidIdToken("id_token is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new InvalidIdToken("id_token is not signed (alg " + jwt.getHeader().getAlgorithm() + ")");
        }
        // the bank's one algorithm: a token signed otherwise is refused, even by a key the bank publishes
        expect(rules.algorithm().equals(signed.getHeader().getAlgorithm()), "id_token is signed "
                + signed.getHeader().getAlgorithm() + "; the bank signs ID tokens " + rules.algorithm());
        try {
            bank.idTokenKeys().verify(signed, "id_token");
        } catch (BankKeys.SignatureException e) {
            throw new InvalidIdToken(e.getMessage());
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidIdToken("id_token claims are not JSON");
        }
        Instant now = received;
        String issuer = bank.settings().idTokenIssuer();
        String clientId = bank.credentials().clientId();
        expect(issuer.equals(claims.getIssuer()), "iss is " + claims.getIssuer() + ", expected " + issuer);
        expect(claims.getAudience() != null && claims.getAudience().contains(clientId), "aud does not contain our client id");
        Object azp = claims.getClaim("azp");
        expect(azp == null || clientId.equals(azp), "azp is " + azp + ", not our client id");
        // OIDC Core 3.1.3.7: an audience this client does not know is trusted only with azp naming this client
        expect(claims.getAudience().stream().allMatch(clientId::equals) || clientId.equals(azp),
                "aud names audiences other than our client and no azp names our client");
        expect(claims.getExpirationTime() != null, "exp missing");
        expect(claims.getExpirationTime().toInstant().plus(SKEW).isAfter(now), "id_token expired");
        expect(claims.getIssueTime() != null, "iat missing");
        expect(!claims.getIssueTime().toInstant().minus(SKEW).isAfter(now), "iat is in the future");
        expect(!claims.getIssueTime().toInstant().plus(rules.maxAge()).plus(SKEW).isBefore(now), "iat is older than "
                + rules.maxAge().toSeconds() + " s (pis.bank.id-token-max-age-seconds)");
        expect(claims.getSubject() != null && !claims.getSubject().isBlank(), "sub missing");
        expect(!rules.subIsAuthorizationId() || authorizationId.equals(claims.getSubject()),
                "sub is not the authorizationId, as the bank promises it");
        Object authTime = claims.getClaim("auth_time");
        expect(authTime == null || authTime instanceof Number, "auth_time is not a number");
        expect(authTime == null || !Instant.ofEpochSecond(((Number) authTime).longValue())
                        .plus(bank.settings().maxAuthenticationAge()).plus(SKEW).isBefore(now),
                "auth_time is older than the request's max_age");
        expect(nonce.equals(claims.getClaim("nonce")), "nonce does not match the request's");
        expect(RequestObjects.SCA_ACR.equals(claims.getClaim("acr")), "acr is " + claims.getClaim("acr")
                + ", expected " + RequestObjects.SCA_ACR);
        expect(authorizationId.equals(claims.getClaim("authorizationId")),
                "authorizationId does not match the bundle's");
        for (Map.Entry<String, String> h : hashed.entrySet()) {
            Object claimed = claims.getClaim(h.getKey());
            expect(claimed != null, h.getKey() + " missing");
            expect(halfHash(signed.getHeader().getAlgorithm(), h.getValue()).equals(claimed.toString()),
                    h.getKey() + " does not match");
        }
        return claims;
    }

    /** base64url of the left-most half of the hash the JWS algorithm uses (OIDC Core §3.3.2.11). */
    static String halfHash(JWSAlgorithm alg, String value) throws InvalidIdToken {
        String digest = switch (alg.getName().substring(2)) {
            case "256" -> "SHA-256";
            case "384" -> "SHA-384";
            case "512" -> "SHA-512";
            default -> throw new InvalidIdToken("no hash for algorithm " + alg);
        };
        try {
            byte[] hash = MessageDigest.getInstance(digest).digest(value.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(Arrays.copyOf(hash, hash.length / 2)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void expect(boolean ok, String failure) throws InvalidIdToken {
        if (!ok) {
            throw new InvalidIdToken(failure);
        }
    }

    /** The ID token failed a check; the SCA answer it came with must not be used. */
    public static final class InvalidIdToken extends Exception {
        public InvalidIdToken(String message) {
            super(message);
        }
    }
}
