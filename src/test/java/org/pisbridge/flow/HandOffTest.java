package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages hand a bundle on at once, not at their next sweep: with every stage's sweep ten minutes
 * apart (pis.flow.interval-ms), a batch is still created once its bundle closes (the closing's
 * hand-off) and submitted once it is approved (the callback's hand-off). Its status reads, timed
 * by the sweep, are not waited for here.
 */
class HandOffTest {

    @Test
    void aClosedBundleIsCreatedAndAnApprovedOneSubmittedWithoutWaitingForASweep(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.flow.interval-ms", "600000"))) {
            // the sweeps' first round runs a second after the start: let it pass before the batch comes
            Thread.sleep(2000);
            List<String> ids = List.of("H-1", "H-2", "H-3");
            for (String id : ids) {
                h.send(FlowHarness.order(id, "H", ids.size(), "FI4950009420028730", "FI9112345600000786", "2.00"));
            }
            Map<String, Object> sca = h.scaEventFor("6.00");
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
            Map<String, List<Map<String, Object>>> events = h.eventsUntil(ids, List.of("SUBMITTED"), 400);
            ids.forEach(id -> assertThat(FlowHarness.lastState(events.get(id))).as(id).isEqualTo("SUBMITTED"));
        }
    }
}
