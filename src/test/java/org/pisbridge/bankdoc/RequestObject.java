package org.pisbridge.bankdoc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.ECPrivateKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signed JWT request of the document's section 4.1 (default flow) and of the exemption flow's
 * step 4. Claims start as the document specifies them; tests may override one to break a rule.
 */
final class RequestObject {
    static final String ACR_SCA = "urn:openbanking:psd2:sca";
    static final String ACR_CA = "urn:openbanking:psd2:ca";

    private final Map<String, Object> claims = new LinkedHashMap<>();

    private RequestObject() {
    }

    /** Section 4.1: response_type "code" or "code id_token", scope "openid payments", acr sca. */
    static RequestObject defaultFlow(TppIdentity tpp, String audience, String authorizationId, String state,
                                     String nonce, String responseType) {
        RequestObject ro = new RequestObject();
        ro.claims.put("aud", audience);
        ro.claims.put("iss", tpp.clientId());
        ro.claims.put("response_type", responseType);
        ro.claims.put("client_id", tpp.clientId());
        ro.claims.put("redirect_uri", tpp.redirectUri());
        ro.claims.put("scope", "openid payments");
        ro.claims.put("state", state);
        ro.claims.put("nonce", nonce);
        ro.claims.put("max_age", 86400);
        ro.claims.put("claims", claims(authorizationId, ACR_SCA));
        return ro;
    }

    /** Exemption flow step 4: response_type token, scope payments, acr ca, no redirect_uri. */
    static RequestObject exemption(TppIdentity tpp, String audience, String authorizationId, String state,
                                   String nonce) {
        RequestObject ro = new RequestObject();
        ro.claims.put("iss", tpp.clientId());
        ro.claims.put("aud", audience);
        ro.claims.put("response_type", "token");
        ro.claims.put("client_id", tpp.clientId());
        ro.claims.put("scope", "payments");
        ro.claims.put("state", state);
        ro.claims.put("nonce", nonce);
        ro.claims.put("max_age", 86400);
        ro.claims.put("claims", claims(authorizationId, ACR_CA));
        return ro;
    }

    RequestObject set(String claim, Object value) {
        claims.put(claim, value);
        return this;
    }

    /** Replaces the acr values asked for in claims.id_token. */
    RequestObject acr(String value) {
        @SuppressWarnings("unchecked")
        Map<String, Object> idToken = (Map<String, Object>) ((Map<String, Object>) claims.get("claims")).get("id_token");
        idToken.put("acr", Map.of("essential", true, "values", List.of(value)));
        return this;
    }

    String claim(String name) {
        return String.valueOf(claims.get(name));
    }

    /** Header typ JWT, alg ES256, kid; Nimbus serialises base64url without padding, as the document requires. */
    String sign(ECPrivateKey key, String kid) {
        JWTClaimsSet.Builder body = new JWTClaimsSet.Builder();
        claims.forEach(body::claim);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(kid).build(), body.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the request object", e);
        }
        return jwt.serialize();
    }

    private static Map<String, Object> claims(String authorizationId, String acr) {
        Map<String, Object> idToken = new LinkedHashMap<>();
        idToken.put("authorizationId", Map.of("value", authorizationId, "essential", true));
        idToken.put("acr", Map.of("essential", true, "values", List.of(acr)));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("userinfo", Map.of("authorizationId", Map.of("value", authorizationId, "essential", true)));
        claims.put("id_token", idToken);
        return claims;
    }
}
