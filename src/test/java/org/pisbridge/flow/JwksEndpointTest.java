package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /jwks.json on the runtime publishes the TPP signing key's public half and nothing private. */
class JwksEndpointTest {

    @Test
    void publishesThePublicSigningKeyOnly(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.httpPort + "/jwks.json")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
            JsonNode keys = FlowHarness.JSON.readTree(response.body()).get("keys");
            assertThat(keys).hasSize(1);
            JsonNode key = keys.get(0);
            assertThat(key.get("kid").asText()).isEqualTo(h.bank.tpp().signingKid());
            for (String privatePart : new String[] {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
                assertThat(key.has(privatePart)).as("private member %s", privatePart).isFalse();
            }
            JWK published = JWK.parse(key.toString());
            JWK signingKey = JWK.parseFromPEMEncodedObjects(Files.readString(h.bank.tpp().signingKeyPem()));
            assertThat(published.isPrivate()).isFalse();
            assertThat(published.computeThumbprint()).isEqualTo(signingKey.toPublicJWK().computeThumbprint());
        }
    }
}
