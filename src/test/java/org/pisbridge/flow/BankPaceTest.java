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
}
