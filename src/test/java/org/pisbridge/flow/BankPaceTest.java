package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank's Retry-After holds for every call, not only the one that got it: the sandbox refuses (and
 * counts) each call that comes before the time it gave is over, as a strict bank's rate limiter
 * does. With eight calls in flight, only calls already sent when the 429 came may be early.
 */
class BankPaceTest {

    @Test
    void a429WithRetryAfterHoldsBackEveryCallUntilItIsOver(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bank.max-in-flight", "8"))) {
            List<String> ids = IntStream.rangeClosed(1, 40).mapToObj(i -> "P-" + i).toList();
            for (String id : ids) {
                h.send(FlowHarness.order(id, "P", ids.size(), "FI4950009420028730", "FI9112345600000786", "2.00"));
            }
            Map<String, Object> sca = h.scaEventFor("80.00");
            // the first submission is answered 429 "come back in 2 s"
            h.bank.faults().tooManyRequests("PUT", "/payments-psd2/v1/sepa-payments/", 2, 1);
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
            Map<String, List<Map<String, Object>>> events = h.eventsUntilFinal(ids, 2000);
            ids.forEach(id -> assertThat(FlowHarness.lastState(events.get(id))).as(id).isEqualTo("COMPLETED"));

            int early = h.bank.apiTraffic().requestsTooEarly();
            System.out.printf("BankPaceTest: %d calls came within the Retry-After%n", early);
            assertThat(early).as("calls within the Retry-After (only those already in flight may be)").isLessThanOrEqualTo(8);
        }
    }

    /** The code exchange of an approval made while a Retry-After runs waits for it, as the bank's other calls do. */
    @Test
    void aCodeExchangeWaitsForARetryAfterToo(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            List<String> first = List.of("A-1", "A-2");
            for (String id : first) {
                h.send(FlowHarness.order(id, "A", first.size(), "FI4950009420028730", "FI9112345600000786", "3.00"));
            }
            Map<String, Object> sca = h.scaEventFor("6.00");
            // the next bundle's first creation is answered 429 "come back in 10 s"
            h.bank.faults().tooManyRequests("POST", "/payments-psd2/v1/sepa-payments", 10, 1);
            List<String> second = List.of("B-1", "B-2");
            for (String id : second) {
                h.send(FlowHarness.order(id, "B", second.size(), "FI4950009420028730", "FI9112345600000786", "4.00"));
            }
            for (int i = 0; i < 240 && h.bank.faults().retryAfterSecondsLeft() == 0; i++) {
                Thread.sleep(250);
            }
            assertThat(h.bank.faults().retryAfterSecondsLeft()).as("the Retry-After is running").isPositive();
            // approved meanwhile: the callback's code exchange must not reach the token endpoint before the time is over
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
            Map<String, List<Map<String, Object>>> events = h.eventsUntilFinal(first, 2000);
            first.forEach(id -> assertThat(FlowHarness.lastState(events.get(id))).as(id).isEqualTo("COMPLETED"));
            assertThat(h.bank.apiTraffic().requestsTooEarly()).as("calls within the Retry-After").isZero();
        }
    }
}
