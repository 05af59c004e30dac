package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.sandbox.SimulatedUser;

/**
 * The default SCA flow end to end: three JMS orders → one bundle → one SCA through the sandbox
 * bank's real login and consent pages → three payments submitted and tracked to Credited.
 */
class DefaultFlowTest {

    @Test
    void batchOfThreeIsApprovedOnceAndEveryPaymentIsCredited(@TempDir Path dir) throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        root.addAppender(log);
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            List<String> ids = List.of("B1-1", "B1-2", "B1-3");
            h.send(FlowHarness.order("B1-1", "B1", 3, "FI4950009420028730", "FI9112345600000786", "1250.00"));
            h.send(FlowHarness.order("B1-2", "B1", 3, "FI4950009420028730", "FI2940000000000011", "89.9"));
            h.send(FlowHarness.order("B1-3", "B1", 3, "FI4950009420028730", "FI2840000000000029", "12.35"));

            Map<String, Object> sca = h.nextScaEvent(30_000);
            assertThat(sca).isNotNull();
            assertThat(sca).containsEntry("count", 3).containsEntry("totalEUR", "1352.25")
                    .containsEntry("payerIban", "FI4950009420028730");
            assertThat(sca.get("link").toString()).startsWith("http://localhost:" + h.httpPort + "/sca/");

            // the waiting bundles are for signed-in operators (the console): anyone else learns no IBAN or amount
            String waiting = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://localhost:" + h.httpPort + "/sca")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(waiting).doesNotContain("1352.25", "FI4950009420028730");

            SimulatedUser.Outcome outcome = new SimulatedUser(h.bankTrust(), "88888881", "11221122")
                    .approve(URI.create(sca.get("link").toString()));
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(outcome.body()).contains("Payments authorised");

            Map<String, List<Map<String, Object>>> events = h.eventsUntilFinal(ids, 120);
            for (String id : ids) {
                List<Map<String, Object>> e = events.get(id);
                assertThat(FlowHarness.lastState(e)).as("final state of %s: %s", id, e).isEqualTo("COMPLETED");
                assertThat(e).extracting(x -> x.get("state")).containsSubsequence(
                        "RECEIVED", "CREATED", "AWAITING_SCA", "AUTHORIZED", "SUBMITTED", "COMPLETED");
                Map<String, Object> last = e.get(e.size() - 1);
                assertThat(last.get("bankStatus")).isEqualTo("Credited");
                assertThat(last.get("authorizationId")).isEqualTo(sca.get("authorizationId"));
                assertThat(h.bank.bookings(last.get("paymentId").toString())).isEqualTo(1);
            }
            // one authorization at the bank holds all three payments
            assertThat(h.bank.state().authorizations.get(sca.get("authorizationId").toString()).paymentIds).hasSize(3);

            // no token, code or secret of this flow reached a log line
            List<String> secrets = new java.util.ArrayList<>(h.bank.state().tokens.keySet());
            secrets.addAll(h.bank.state().codes.keySet());
            secrets.add(h.bank.tpp().clientSecret());
            secrets.add(h.bank.tpp().keyStorePassword());
            assertThat(secrets).hasSizeGreaterThan(4);
            String logged = log.list.stream().map(e -> e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).reduce("", String::concat);
            assertThat(logged).contains("SCA required for bundle");
            for (String secret : secrets) {
                assertThat(logged).doesNotContain(secret);
            }
        } finally {
            root.detachAppender(log);
        }
    }
}
