package org.pisbridge.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.pisbridge.sandbox.model.RegisteredClient;

/**
 * Client metadata of a registration request (RFC 7591 §2), validated: redirect URIs absolute https (or
 * http on localhost), a supported token endpoint auth method, known grant types, and public RS256/ES256
 * signing keys inline ({@code jwks}) or at an https {@code jwks_uri}.
 */
record ClientMetadata(String clientName, List<String> redirectUris, String tokenEndpointAuthMethod,
                      String tlsClientAuthSubjectDn, List<String> grantTypes, JWKSet jwks, String jwksUri,
                      String softwareStatement) {
    static final Set<String> AUTH_METHODS = Set.of("client_secret_post", "client_secret_basic", "tls_client_auth");

    static ClientMetadata parse(JsonNode body, Optional<X509Certificate> presented) {
        if (body == null || !body.isObject()) {
            throw invalid("the registration request must be a JSON object");
        }
        String method = text(body, "token_endpoint_auth_method", "client_secret_basic");
        if (!AUTH_METHODS.contains(method)) {
            throw invalid("token_endpoint_auth_method must be one of " + AUTH_METHODS);
        }
        String subjectDn = text(body, "tls_client_auth_subject_dn", null);
        if (method.equals("tls_client_auth")) {
            subjectDn = subjectDn != null ? subjectDn : presented.map(c -> c.getSubjectX500Principal().getName()).orElse(null);
            try {
                subjectDn = new X500Principal(subjectDn).getName();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw invalid("tls_client_auth_subject_dn is not a distinguished name");
            }
        }
        List<String> grantTypes = strings(body, "grant_types", List.of("authorization_code"));
        for (String grantType : grantTypes) {
            if (!TokenEndpoint.GRANT_TYPES.contains(grantType)) {
                throw invalid("grant type " + grantType + " is not supported; use " + TokenEndpoint.GRANT_TYPES);
            }
        }
        List<String> redirectUris = strings(body, "redirect_uris", List.of());
        if (redirectUris.isEmpty() && grantTypes.contains("authorization_code")) {
            throw new OAuthError(400, "invalid_redirect_uri", "redirect_uris is required for the authorization_code grant");
        }
        redirectUris.forEach(ClientMetadata::checkRedirectUri);

        boolean hasJwks = body.hasNonNull("jwks");
        String jwksUri = text(body, "jwks_uri", null);
        if (hasJwks == (jwksUri != null)) {
            throw invalid("exactly one of jwks and jwks_uri is required: the bank verifies the client's signatures with it");
        }
        JWKSet jwks = hasJwks ? jwks(body.get("jwks")) : null;
        if (jwksUri != null && !isHttps(jwksUri)) {
            throw invalid("jwks_uri must be an absolute https URI");
        }
        String softwareStatement = text(body, "software_statement", null);
        if (softwareStatement != null) {
            try {
                JWTParser.parse(softwareStatement);
            } catch (ParseException e) {
                throw new OAuthError(400, "invalid_software_statement", "software_statement is not a JWT");
            }
        }
        return new ClientMetadata(text(body, "client_name", null), redirectUris, method, subjectDn, grantTypes, jwks,
                jwksUri, softwareStatement);
    }

    void applyTo(RegisteredClient client) {
        client.redirectUris = redirectUris;
        client.tokenEndpointAuthMethod = tokenEndpointAuthMethod;
        client.tlsClientAuthSubjectDn = tlsClientAuthSubjectDn;
        client.grantTypes = grantTypes;
        client.jwks = jwks;
        client.jwksUri = jwksUri;
        client.metadata = asMap();
    }

    /** The metadata as RFC 7591/7592 responses echo it. */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (clientName != null) {
            map.put("client_name", clientName);
        }
        map.put("redirect_uris", redirectUris);
        map.put("token_endpoint_auth_method", tokenEndpointAuthMethod);
        if (tlsClientAuthSubjectDn != null) {
            map.put("tls_client_auth_subject_dn", tlsClientAuthSubjectDn);
        }
        map.put("grant_types", grantTypes);
        if (jwks != null) {
            map.put("jwks", jwks.toJSONObject(true));
        }
        if (jwksUri != null) {
            map.put("jwks_uri", jwksUri);
        }
        if (softwareStatement != null) {
            map.put("software_statement", softwareStatement);
        }
        return map;
    }

    private static JWKSet jwks(JsonNode node) {
        JWKSet set;
        try {
            set = JWKSet.parse(node.toString());
        } catch (ParseException e) {
            throw invalid("jwks is not a JWK set: " + e.getMessage());
        }
        if (set.getKeys().isEmpty()) {
            throw invalid("jwks has no keys");
        }
        for (JWK key : set.getKeys()) {
            String name = "jwks key " + key.getKeyID();
            if (key.getKeyID() == null) {
                throw invalid("every jwks key needs a kid: signatures name their key by it");
            }
            if (key.isPrivate()) {
                throw invalid(name + " contains private key material; register public keys only");
            }
            if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
                throw invalid(name + " is not a signing key (use " + key.getKeyUse() + ")");
            }
            boolean rsa = key instanceof RSAKey r && r.size() >= 2048
                    && (key.getAlgorithm() == null || JWSAlgorithm.RS256.equals(key.getAlgorithm()));
            boolean ec = key instanceof ECKey e && Curve.P_256.equals(e.getCurve())
                    && (key.getAlgorithm() == null || JWSAlgorithm.ES256.equals(key.getAlgorithm()));
            if (!rsa && !ec) {
                throw invalid(name + " is neither an RS256 (RSA 2048+) nor an ES256 (EC P-256) key");
            }
        }
        return set;
    }

    private static void checkRedirectUri(String uri) {
        try {
            URI parsed = new URI(uri);
            boolean localHttp = "http".equals(parsed.getScheme())
                    && ("localhost".equals(parsed.getHost()) || "127.0.0.1".equals(parsed.getHost()));
            if (!parsed.isAbsolute() || parsed.getFragment() != null || parsed.getHost() == null
                    || !("https".equals(parsed.getScheme()) || localHttp)) {
                throw new OAuthError(400, "invalid_redirect_uri",
                        "redirect URI " + uri + " must be absolute https (or http on localhost) without a fragment");
            }
        } catch (URISyntaxException e) {
            throw new OAuthError(400, "invalid_redirect_uri", "redirect URI " + uri + " is not a URI");
        }
    }

    private static boolean isHttps(String uri) {
        try {
            URI parsed = new URI(uri);
            return "https".equals(parsed.getScheme()) && parsed.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String text(JsonNode body, String name, String fallback) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw invalid(name + " must be a non-empty string");
        }
        return node.asText();
    }

    private static List<String> strings(JsonNode body, String name, List<String> fallback) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isArray()) {
            throw invalid(name + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw invalid(name + " must be an array of strings");
            }
            values.add(item.asText());
        }
        return List.copyOf(values);
    }

    private static OAuthError invalid(String description) {
        return new OAuthError(400, "invalid_client_metadata", description);
    }
}
