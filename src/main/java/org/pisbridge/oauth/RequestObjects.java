package org.pisbridge.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankSettings;
import org.pisbridge.jose.TppSigningKey;

/**
 * Document section 4.1 and 4.2: the signed request object for one authorization and the
 * authorize URL carrying it, with {@code response_type}, {@code client_id} and {@code scope}
 * equal to the JWT's values; and the exemption flow's request JWT (step 4), which differs in
 * response_type {@code token}, scope {@code payments}, acr {@code urn:openbanking:psd2:ca} and
 * has no redirect_uri.
 */
public final class RequestObjects {
    public static final String SCA_ACR = "urn:openbanking:psd2:sca";
    public static final String SCOPE = "openid payments";
    public static final String EXEMPTION_ACR = "urn:openbanking:psd2:ca";
    public static final String EXEMPTION_SCOPE = "payments";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BankConnection bank;
    private final String responseType;
    private final Clock clock;

    public RequestObjects(BankConnection bank, String responseType, Clock clock) {
        this.bank = bank;
        this.responseType = responseType;
        this.clock = clock;
    }

    /** 32 random bytes, base64url without padding: only RFC 4648 §5 characters, as state must be. */
    public static String randomValue() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public String responseType() {
        return responseType;
    }

    /** The authorize URL for the bundle's authorization, state and nonce. */
    public String authorizeUrl(String authorizationId, String state, String nonce) {
        String request = requestObject(authorizationId, state, nonce);
        String clientId = bank.credentials().clientId();
        return bank.settings().authorizeUrl()
                + "?request=" + enc(request)
                + "&response_type=" + enc(responseType)
                + "&client_id=" + enc(clientId)
                + "&scope=" + enc(SCOPE);
    }

    String requestObject(String authorizationId, String state, String nonce) {
        return sign(authorizationId, responseType, SCOPE, SCA_ACR, bank.settings().redirectUri(), state, nonce);
    }

    /** The exemption flow's request JWT confirming that the authorization reuses the earlier SCA. */
    public String exemptionAssertion(String authorizationId) {
        return sign(authorizationId, "token", EXEMPTION_SCOPE, EXEMPTION_ACR, null, randomValue(), randomValue());
    }

    private String sign(String authorizationId, String responseType, String scope, String acr, String redirectUri,
                        String state, String nonce) {
        BankSettings settings = bank.settings();
        String clientId = bank.credentials().clientId();
        TppSigningKey key = bank.signingKey();
        Map<String, Object> authorization = Map.of("value", authorizationId, "essential", true);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(settings.audience())
                .issuer(clientId)
                .claim("response_type", responseType)
                .claim("client_id", clientId)
                .claim("redirect_uri", redirectUri)
                .claim("scope", scope)
                .claim("state", state)
                .claim("nonce", nonce)
                .claim("max_age", settings.maxAuthenticationAge().toSeconds())
                .claim("claims", Map.of(
                        "userinfo", Map.of("authorizationId", authorization),
                        "id_token", Map.of("authorizationId", authorization,
                                "acr", Map.of("essential", true, "values", List.of(acr)))))
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plusSeconds(3600)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm())
                .type(JOSEObjectType.JWT).keyID(key.kid()).build(), claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("Request object signing failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
