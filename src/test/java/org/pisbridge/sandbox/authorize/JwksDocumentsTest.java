package org.pisbridge.sandbox.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
        // the ID-token document also shows an EC key the bank publishes but does not sign ID tokens with
        assertThat(keys).hasSize(path.startsWith("/oauth") ? 2 : 1);
        for (JsonNode key : keys) {
            for (String member : PRIVATE_MEMBERS) {
                assertThat(key.has(member)).as("private member %s", member).isFalse();
            }
        }
        JWK signing = path.startsWith("/oauth") ? bank.ctx.keys().idTokenSigningKey() : bank.ctx.keys().paymentsSigningKey();
        JWK published = JWKSet.parse(response.body()).getKeyByKeyId(signing.getKeyID());
        assertThat(signing.isPrivate()).isTrue();
        assertThat(published.isPrivate()).isFalse();
        assertThat(published).isEqualTo(signing.toPublicJWK());
    }

    @Test
    void aBankSigningEs256PublishesItsEcKeyBesideItsRsaKey() throws Exception {
        try (TestBank es256Bank = new TestBank(JWSAlgorithm.ES256)) {
            HttpResponse<String> response = new Browser(es256Bank.trust)
                    .get(URI.create(es256Bank.baseUrl + JwksDocuments.ID_TOKEN_PATH));

            JWKSet published = JWKSet.parse(response.body());
            assertThat(published.getKeys()).hasSize(2).noneMatch(JWK::isPrivate);
            assertThat(published.getKeyByKeyId(es256Bank.ctx.idTokenKeys().signingKey().getKeyID()))
                    .isInstanceOf(ECKey.class);
            assertThat(published.getKeyByKeyId(es256Bank.ctx.keys().idTokenSigningKey().getKeyID()))
                    .isInstanceOf(RSAKey.class);
        }
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
