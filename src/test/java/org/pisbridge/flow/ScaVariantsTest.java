package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.model.AuthorizationStatus;

/** The SCA in its other configurations: the plain {@code code} response type, and no SCA in time. */
class ScaVariantsTest {

    @Test
    void queryFormCallbackWithResponseTypeCode(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bank.response-type", "code"))) {
            Map<String, Object> sca = h.singleOrderAwaitingSca("code-1", "31.00");
            SimulatedUser.Outcome outcome = h.user().approve(URI.create(sca.get("link").toString()));
            assertThat(outcome.callback().getQuery()).contains("state=").contains("code=");
            assertThat(outcome.callback().getFragment()).isNull();
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(h.finalEvent("code-1").get("state")).isEqualTo("COMPLETED");
        }
    }

    @Test
    void bundleWithoutScaInTimeIsRevokedAtTheBankAndExpires(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.sca.timeout-seconds", "1"))) {
            Map<String, Object> sca = h.singleOrderAwaitingSca("late-1", "32.00");
            Map<String, Object> end = h.finalEvent("late-1");
            assertThat(end.get("state")).isEqualTo("EXPIRED");
            assertThat(end.get("reason").toString()).contains("revoked");
            assertThat(h.bank.state().authorizations.get(sca.get("authorizationId").toString()).status)
                    .isEqualTo(AuthorizationStatus.Revoked);
            // the link no longer leads anywhere
            var link = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create(sca.get("link").toString())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(link.statusCode()).isEqualTo(404);
            assertThat(link.body()).contains("no longer waiting");
        }
    }
}
