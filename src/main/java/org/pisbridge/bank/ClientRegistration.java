package org.pisbridge.bank;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pisbridge.jose.TppSigningKey;

/**
 * This client's registration at the bank over mTLS: RFC 7591 create with the developer API key
 * ({@code x-api-key}, when the bank gave one), RFC 7592 read, update and delete with the
 * registration access token. What the bank answers that later calls need (client_id,
 * client_secret, registration_access_token, registration_client_uri, an api_key) goes into the
 * credentials file only, never into the configuration, the log or what the command prints.
 */
public final class ClientRegistration {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What identifies or authenticates this client: stored, never shown. */
    private static final Map<String, String> STORED = Map.of("client_id", "client-id", "client_secret", "client-secret",
            "registration_access_token", "registration-access-token", "registration_client_uri", "registration-client-uri",
            "api_key", "api-key");
    private static final List<String> GRANT_TYPES = List.of("client_credentials", "authorization_code",
            "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer");

    private final BankConnection bank;
    private final String clientName;
    private final String responseType;
    private final String jwksUri;
    private final Path softwareStatement;
    private final HttpClient http;

    /**
     * @param jwksUri           where the bank fetches this client's keys; null sends the signing key's public JWK instead
     * @param softwareStatement file holding the signed software statement (JWT); null sends none
     */
    public ClientRegistration(BankConnection bank, String clientName, String responseType, String jwksUri,
                              Path softwareStatement) {
        this.bank = bank;
        this.clientName = clientName;
        this.responseType = responseType;
        this.jwksUri = jwksUri;
        this.softwareStatement = softwareStatement;
        this.http = HttpClient.newBuilder().sslContext(bank.tls()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The bank's answer, secrets left out: what the command may print. */
    public record Registration(int status, Map<String, Object> metadata) {
    }

    /** RFC 7591: registers this client and stores what identifies it. */
    public Registration register() {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bank.settings().registrationUrl()));
        if (bank.credentials().apiKey() != null) {
            request.header("x-api-key", bank.credentials().apiKey());
        }
        Map<String, Object> answer = call("registration", request.POST(body(metadata())), 201);
        store(answer, true);
        return shown(201, answer);
    }

    /** RFC 7592 read. */
    public Registration show() {
        return shown(200, call("registration read", managed().GET(), 200));
    }

    /** RFC 7592 update: the current settings replace the registered metadata. */
    public Registration update() {
        Map<String, Object> metadata = metadata();
        metadata.put("client_id", bank.credentials().clientId());
        Map<String, Object> answer = call("registration update", managed().PUT(body(metadata)), 200);
        store(answer, false);
        return shown(200, answer);
    }

    /**
     * RFC 7592 delete: the client is gone at the bank, and its identifiers from the credentials file.
     * The API key stays: it is the developer's, and registers the client again.
     */
    public Registration delete() {
        call("registration delete", managed().DELETE(), 204);
        Map<String, String> removed = new HashMap<>();
        for (String key : List.of("client-id", "client-secret", "registration-access-token", "registration-client-uri")) {
            removed.put(key, null);
        }
        BankCredentials.update(bank.settings().credentialsFile(), removed);
        return new Registration(204, Map.of());
    }

    /**
     * Why the bank would not verify this client's signatures with the keys it registered: the
     * registered JWKS holds no key with the signing key's thumbprint. Empty when it does, or when a
     * jwks_uri is registered instead (the bank fetches the keys from there).
     */
    public Optional<String> signingKeyMismatch(Registration registration) {
        Object jwks = registration.metadata().get("jwks");
        if (!(jwks instanceof Map<?, ?> registered)) {
            return Optional.empty();
        }
        TppSigningKey key = bank.signingKey();
        try {
            Base64URL ours = key.publicJwk().computeThumbprint();
            @SuppressWarnings("unchecked")
            List<JWK> keys = JWKSet.parse((Map<String, Object>) registered).getKeys();
            for (JWK k : keys) {
                if (k.computeThumbprint().equals(ours)) {
                    return Optional.empty();
                }
            }
            return Optional.of("The signing key in " + bank.settings().signingKey() + " (kid " + key.kid() + ", JWK thumbprint "
                    + ours + ") is not in the JWKS registered at the bank (kids " + keys.stream().map(JWK::getKeyID).toList()
                    + "): the bank will refuse every signed request. Run `pis-bridge register --update` to register it.");
        } catch (ParseException | JOSEException e) {
            return Optional.of("The JWKS registered at the bank cannot be read: " + e.getMessage());
        }
    }

    /** RFC 7591 §2 client metadata from the settings. */
    Map<String, Object> metadata() {
        BankSettings settings = bank.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_name", clientName);
        m.put("redirect_uris", List.of(settings.redirectUri()));
        m.put("token_endpoint_auth_method", settings.tokenEndpointAuthMethod());
        if (settings.tokenEndpointAuthMethod().equals("tls_client_auth")) {
            m.put("tls_client_auth_subject_dn",
                    BankTls.clientCertificate(settings, bank.credentials()).getSubjectX500Principal().getName());
        }
        m.put("grant_types", GRANT_TYPES);
        m.put("response_types", List.of(responseType));
        m.put("scope", "openid " + settings.clientCredentialsScope());
        if (jwksUri != null) {
            m.put("jwks_uri", jwksUri);
        } else {
            m.put("jwks", Map.of("keys", List.of(bank.signingKey().publicJwk().toJSONObject())));
        }
        if (softwareStatement != null) {
            try {
                m.put("software_statement", Files.readString(softwareStatement).strip());
            } catch (IOException e) {
                throw new IllegalStateException("Software statement " + softwareStatement + " cannot be read: " + e.getMessage());
            }
        }
        return m;
    }

    private HttpRequest.Builder managed() {
        BankCredentials c = bank.credentials();
        if (c.registrationClientUri() == null || c.registrationAccessToken() == null) {
            throw new IllegalStateException("Bank credentials file " + bank.settings().credentialsFile()
                    + " has no registration-client-uri and registration-access-token: run pis-bridge register first");
        }
        return HttpRequest.newBuilder(URI.create(c.registrationClientUri()))
                .header("Authorization", "Bearer " + c.registrationAccessToken());
    }

    /**
     * @param fresh a new registration: what the answer lacks is removed (a tls_client_auth client has
     *              no secret, and an old one must not linger); an update's answer only replaces what it carries
     */
    private void store(Map<String, Object> answer, boolean fresh) {
        Map<String, String> changes = new HashMap<>();
        STORED.forEach((field, key) -> changes.put(key, text(answer, field)));
        // an api_key the bank did not return is still the developer's
        changes.values().removeIf(java.util.Objects::isNull);
        if (fresh) {
            STORED.values().stream().filter(key -> !key.equals("api-key")).forEach(key -> changes.putIfAbsent(key, null));
        }
        if (changes.get("client-id") == null) {
            throw new IllegalStateException("The bank's registration answer has no client_id");
        }
        BankCredentials.update(bank.settings().credentialsFile(), changes);
    }

    private Map<String, Object> call(String operation, HttpRequest.Builder request, int expected) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json").header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BankError(operation, e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BankError(operation, e, false);
        }
        if (response.statusCode() != expected) {
            throw new BankError(operation, response.statusCode(), response.body());
        }
        if (response.body() == null || response.body().isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new BankError(operation, e, false);
        }
    }

    private static HttpRequest.BodyPublisher body(Map<String, Object> metadata) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(metadata));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Registration shown(int status, Map<String, Object> answer) {
        Map<String, Object> metadata = new LinkedHashMap<>(answer);
        metadata.keySet().removeAll(STORED.keySet());
        return new Registration(status, metadata);
    }

    private static String text(Map<String, Object> answer, String field) {
        Object v = answer.get(field);
        return v == null ? null : v.toString();
    }
}
