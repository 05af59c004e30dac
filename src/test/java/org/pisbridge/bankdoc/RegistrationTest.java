package org.pisbridge.bankdoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pisbridge.bankdoc.RunningBank.REDIRECT_URI;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic client registration at /tpp-registration over mTLS: RFC 7591 create, RFC 7592 read, update and delete,
 * client_secret_post and tls_client_auth (RFC 8705) clients.
 */
class RegistrationTest {
    private static final String OTHER_REDIRECT_URI = "https://localhost:8181/oauth/other";

    @TempDir
    Path dataDir;
    private RunningBank bank;
    private DocumentTpp tpp;

    @BeforeEach
    void startBank() {
        bank = RunningBank.start(dataDir);
        tpp = bank.tpp();
    }

    @AfterEach
    void stopBank() {
        bank.close();
    }

    @Test
    void secretClientIsCreatedReadUpdatedAndDeleted() {
        ECKey key = signingKey("secret-client-key");
        BankResponse created = tpp.register(metadata("client_secret_post", key, REDIRECT_URI)).expect(201);
        String clientId = created.field("client_id");
        String secret = created.field("client_secret");
        String registrationUri = created.field("registration_client_uri");
        String registrationToken = created.field("registration_access_token");
        assertThat(List.of(clientId, secret, registrationUri, registrationToken)).doesNotContainNull();
        assertThat(created.field("token_endpoint_auth_method")).isEqualTo("client_secret_post");
        assertThat(created.json().get("redirect_uris").get(0).asText()).isEqualTo(REDIRECT_URI);

        BankResponse read = tpp.readRegistration(registrationUri, registrationToken).expect(200);
        assertThat(read.field("client_id")).isEqualTo(clientId);
        assertThat(read.field("client_name")).isEqualTo("bank-tests client_secret_post");

        Map<String, Object> changed = metadata("client_secret_post", key, OTHER_REDIRECT_URI);
        changed.put("client_id", clientId);
        changed.put("client_name", "renamed");
        tpp.updateRegistration(registrationUri, registrationToken, changed).expect(200);
        BankResponse reread = tpp.readRegistration(registrationUri, registrationToken).expect(200);
        assertThat(reread.field("client_name")).isEqualTo("renamed");
        assertThat(reread.json().get("redirect_uris").get(0).asText()).isEqualTo(OTHER_REDIRECT_URI);

        DocumentTpp registered = tpp.as(tpp.identity().withClient(clientId, secret));
        assertThat(registered.clientCredentialsToken().accessToken()).isNotBlank();

        tpp.deleteRegistration(registrationUri, registrationToken).expect(204);
        // RFC 7592 section 2: a client that no longer exists answers 401
        tpp.readRegistration(registrationUri, registrationToken).expect(401);
        TokenResponse afterDelete = registered.clientCredentialsToken();
        assertThat(afterDelete.response().status()).isIn(400, 401);
        assertThat(afterDelete.error()).isEqualTo("invalid_client");
    }

    @Test
    void tlsClientAuthClientGetsATokenWithItsCertificateAndNoSecret() {
        Map<String, Object> metadata = metadata("tls_client_auth", signingKey("mtls-client-key"), REDIRECT_URI);
        metadata.put("tls_client_auth_subject_dn", bank.clientCertificateSubject());
        BankResponse created = tpp.register(metadata).expect(201);
        assertThat(created.field("client_secret")).isNull();
        assertThat(created.field("token_endpoint_auth_method")).isEqualTo("tls_client_auth");

        DocumentTpp registered = tpp.as(tpp.identity().withClient(created.field("client_id"), null));
        TokenResponse token = registered.clientCredentialsToken();

        assertThat(token.accessToken()).isNotBlank();
        assertThat(token.scope()).isEqualTo("payments");
    }

    @Test
    void tlsClientAuthClientRegisteredForAnotherSubjectGetsNoToken() {
        Map<String, Object> metadata = metadata("tls_client_auth", signingKey("other-subject-key"), REDIRECT_URI);
        metadata.put("tls_client_auth_subject_dn", "CN=someone-else,O=Other TPP,C=FI");
        BankResponse created = tpp.register(metadata).expect(201);

        TokenResponse token = tpp.as(tpp.identity().withClient(created.field("client_id"), null))
                .clientCredentialsToken();

        assertThat(token.response().status()).isIn(400, 401);
        assertThat(token.error()).isEqualTo("invalid_client");
    }

    @Test
    void registrationWithoutTheApiKeyIsRefused() {
        TppIdentity noKey = new TppIdentity(tpp.identity().clientId(), tpp.identity().clientSecret(), "wrong-api-key",
                tpp.identity().signingKey(), tpp.identity().signingKid(), REDIRECT_URI);

        BankResponse refused = tpp.as(noKey).register(metadata("client_secret_post", signingKey("k"), REDIRECT_URI));

        assertThat(refused.status()).isIn(401, 403);
    }

    @Test
    void registrationCannotBeReadWithAnotherRegistrationsToken() {
        BankResponse first = tpp.register(metadata("client_secret_post", signingKey("a"), REDIRECT_URI)).expect(201);
        BankResponse second = tpp.register(metadata("client_secret_post", signingKey("b"), REDIRECT_URI)).expect(201);

        tpp.readRegistration(first.field("registration_client_uri"), second.field("registration_access_token"))
                .expect(401, 403);
    }

    static Map<String, Object> metadata(String authMethod, ECKey key, String redirectUri) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("client_name", "bank-tests " + authMethod);
        metadata.put("redirect_uris", List.of(redirectUri));
        metadata.put("token_endpoint_auth_method", authMethod);
        metadata.put("grant_types", List.of("client_credentials", "authorization_code", "refresh_token",
                "urn:ietf:params:oauth:grant-type:jwt-bearer"));
        metadata.put("response_types", List.of("code", "code id_token"));
        metadata.put("scope", "openid payments");
        metadata.put("jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject())));
        return metadata;
    }

    static ECKey signingKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
