package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.sandbox.Faults;

/**
 * The bank briefly unavailable (5xx, 429 with Retry-After, a time-out, a dropped connection) is
 * retried under the same idempotency key or submissionId and the payment is still made exactly
 * once; an answer whose signature does not verify is never used; a 4xx is reported with the
 * bank's own error body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BankFaultsTest {
    private static final String PAYMENTS = "/payments-psd2/v1/sepa-payments";
    private FlowHarness h;
    private int n;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        h = new FlowHarness(dir, Map.of("pis.bank.response-timeout-ms", "1500"));
    }

    @AfterAll
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void unavailableBankIsRetriedAndEachPaymentIsMadeOnce() throws Exception {
        String orderId = "retry-" + (++n);
        h.bank.faults().status("POST", PAYMENTS, 503, 2).tooManyRequests("POST", "/oauth/token", 1, 1);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "20.00");
        // the answer to the first submission is lost: the bank books it, the runtime never hears
        h.bank.faults().of(Faults.Kind.DROP_AFTER_PROCESSING, "PUT", PAYMENTS, 1)
                .status("GET", PAYMENTS, 500, 1);
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);

        Map<String, Object> end = h.finalEvent(orderId);
        assertThat(end.get("state")).isEqualTo("COMPLETED");
        assertThat(h.bank.bookings(end.get("paymentId").toString())).isEqualTo(1);
        // one payment at the bank for the order, whatever was retried
        assertThat(h.bank.state().payments.values().stream().filter(p -> p.message.contains(orderId))).hasSize(1);
    }

    @Test
    void slowBankTimesOutAndIsAskedAgain() throws Exception {
        String orderId = "slow-" + (++n);
        h.bank.faults().delay("POST", PAYMENTS, Duration.ofSeconds(3), 1);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "21.00");
        h.bank.faults().of(Faults.Kind.DROP_CONNECTION, "PUT", PAYMENTS, 1);
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);

        Map<String, Object> end = h.finalEvent(orderId);
        assertThat(end.get("state")).isEqualTo("COMPLETED");
        assertThat(h.bank.state().payments.values().stream().filter(p -> p.message.contains(orderId))).hasSize(1);
    }

    @Test
    void unsignedOrBadlySignedCreationAnswerIsNeverUsedAndTheCreationIsMadeAgain() throws Exception {
        for (Faults.Kind kind : new Faults.Kind[] {Faults.Kind.BAD_RESPONSE_SIGNATURE, Faults.Kind.MISSING_RESPONSE_SIGNATURE}) {
            String orderId = "sig-" + kind + "-" + (++n);
            String amount = (22 + n) + ".00";
            h.bank.faults().of(kind, "POST", PAYMENTS, 1);
            Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, amount);
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
            List<Map<String, Object>> events = h.eventsUntilFinal(List.of(orderId), 120).get(orderId);
            assertThat(FlowHarness.lastState(events)).isEqualTo("COMPLETED");
            // the untrusted answer was reported, never used: the same x-idempotency-key got the same payment back
            assertThat(events).anySatisfy(e -> assertThat(String.valueOf(e.get("reason")))
                    .contains("creation delayed", "not trusted", "signature"));
            assertThat(h.bank.state().payments.values().stream().filter(p -> p.message.contains(orderId))).hasSize(1);
            if (kind == Faults.Kind.MISSING_RESPONSE_SIGNATURE) {
                // the request's own x-jws-signature must never stand in for the missing answer's
                assertThat(events).anySatisfy(e -> assertThat(String.valueOf(e.get("reason"))).contains("missing"));
            }
        }
    }

    @Test
    void badlySignedStatusIsNotBelievedAndReadAgain() throws Exception {
        String orderId = "status-sig-" + (++n);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "23.00");
        h.bank.faults().of(Faults.Kind.BAD_RESPONSE_SIGNATURE, "GET", PAYMENTS, 2);
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
        assertThat(h.finalEvent(orderId).get("state")).isEqualTo("COMPLETED");
    }

    @Test
    void refusedStatusReadsAreReportedOnceAndTheOrderStillCompletes() throws Exception {
        String orderId = "status-404-" + (++n);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "25.00");
        h.bank.faults().status("GET", PAYMENTS, 404, 3);
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);

        java.util.List<Map<String, Object>> events = h.eventsUntilFinal(java.util.List.of(orderId), 120).get(orderId);
        assertThat(FlowHarness.lastState(events)).isEqualTo("COMPLETED");
        java.util.List<Map<String, Object>> unreadable = events.stream()
                .filter(e -> e.get("reason") != null && e.get("reason").toString().startsWith("status cannot be read")).toList();
        // three refused reads, one event naming the bank's answer; the next good read says so
        assertThat(unreadable).hasSize(1);
        assertThat(unreadable.get(0)).containsEntry("state", "SUBMITTED");
        assertThat(unreadable.get(0).get("reason").toString()).contains("HTTP 404", "\"type\"");
        int at = events.indexOf(unreadable.get(0));
        assertThat(events.get(at + 1)).containsEntry("state", "SUBMITTED").containsEntry("reason", null);
    }

    @Test
    void businessRefusalIsReportedWithTheBanksErrorBody() throws Exception {
        String orderId = "refused-" + (++n);
        h.bank.faults().status("POST", PAYMENTS, 400, 1);
        h.send(FlowHarness.order(orderId, "b-" + orderId, 1, "FI4950009420028730", "FI9112345600000786", "24.00"));
        Map<String, Object> end = h.finalEvent(orderId);
        assertThat(end.get("state")).isEqualTo("FAILED");
        assertThat(end.get("reason").toString()).contains("HTTP 400").contains("\"type\"");
        // not retried: the bank saw the order once, and refused it
        assertThat(h.bank.state().payments.values().stream().filter(p -> p.message.contains(orderId))).isEmpty();
    }
}
