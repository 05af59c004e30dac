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
 * Bank calls go over kept-alive mTLS connections, at most pis.bank.max-in-flight at once: a batch
 * of ten (a token, ten creations, ten submissions with their read-backs, status reads, the code
 * exchange) with four in flight needs about as many TLS handshakes as calls in flight, not one per
 * call. The sandbox counts the connections its API host saw and the most requests it had at once.
 */
class ConnectionReuseTest {

    @Test
    void aBatchOfTenReusesAFewConnections(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bank.max-in-flight", "4"))) {
            List<String> ids = IntStream.rangeClosed(1, 10).mapToObj(i -> "K-" + i).toList();
            for (String id : ids) {
                h.send(FlowHarness.order(id, "K", ids.size(), "FI4950009420028730", "FI9112345600000786", "3.00"));
            }
            Map<String, Object> sca = h.scaEventFor("30.00");
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
            Map<String, List<Map<String, Object>>> events = h.eventsUntilFinal(ids, 240);
            ids.forEach(id -> assertThat(FlowHarness.lastState(events.get(id))).as(id).isEqualTo("COMPLETED"));

            int requests = h.bank.apiTraffic().requests();
            int connections = h.bank.apiTraffic().connections();
            int peak = h.bank.apiTraffic().peakInProgress();
            System.out.printf("ConnectionReuseTest: %d bank calls over %d connections, at most %d at once%n", requests,
                    connections, peak);
            // the pool's four, plus calls made outside it (the code exchange in the callback)
            assertThat(peak).as("calls in flight at once").isLessThanOrEqualTo(6);
            assertThat(requests).isGreaterThanOrEqualTo(40);
            // one per call in flight, and one for the token endpoint's own pool, however many calls
            assertThat(connections).as("%d calls over %d connections", requests, connections).isLessThanOrEqualTo(8);
        }
    }
}
