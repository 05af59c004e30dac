package org.pisbridge.sandbox.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public JWKS documents: reachable without a client certificate, never with a private key part. */
class JwksDocumentsTest {
    /** Private members of RSA and EC JWKs (RFC 7518 §6.2.2, §6.3.2). */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth");

    private static TestBank bank;

    @BeforeAll
    static void start() throws Exception {
        bank = new TestBank();
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/jwks/PSD2_OIDC", "/psd2/jwks/payments/jwks.json"})
    void publishesThePublicKeyOnly(String path) throws Exception {
        HttpResponse<String> response = new Browser(bank.trust).get(URI.create(bank.baseUrl + path));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode keys = new ObjectMapper().readTree(response.body()).get("keys");
        assertThat(keys).hasSize(1);
        for (String member : PRIVATE_MEMBERS) {
            assertThat(keys.get(0).has(member)).as("private member %s", member).isFalse();
        }
        JWK published = JWKSet.parse(response.body()).getKeys().get(0);
        JWK signing = path.startsWith("/oauth") ? bank.ctx.keys().idTokenSigningKey() : bank.ctx.keys().paymentsSigningKey();
        assertThat(signing.isPrivate()).isTrue();
        assertThat(published.isPrivate()).isFalse();
        assertThat(published).isEqualTo(signing.toPublicJWK());
        assertThat(published.getKeyID()).isEqualTo(signing.getKeyID());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/jwks/PSD2_OIDC", "/psd2/jwks/payments/jwks.json"})
    void acceptsOnlyGet(String path) throws Exception {
        HttpResponse<String> response = new Browser(bank.trust).post(URI.create(bank.baseUrl + path), Map.of());
        assertThat(response.statusCode()).isEqualTo(405);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/jwks/PSD2_OIDC/extra", "/psd2/jwks/payments/jwks.jsonx"})
    void servesNothingElseUnderItsPath(String path) throws Exception {
        assertThat(new Browser(bank.trust).get(URI.create(bank.baseUrl + path)).statusCode()).isEqualTo(404);
    }
}
