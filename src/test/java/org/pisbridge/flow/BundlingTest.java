package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How orders become bundles (one SCA each): a batch closes when its batchSize orders arrived —
 * one bundle per payer — long before its quiet period, and stays open through a pause longer than
 * that (up to its maximum wait); orders without a batch id are bundled per payer within the window.
 */
class BundlingTest {

    @Test
    void batchClosesByCountIntoOneBundlePerPayer(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bundles.quiet-period-ms", "600000"))) {
            h.send(FlowHarness.order("M-1", "M", 3, "FI4950009420028730", "FI9112345600000786", "1.00"));
            h.send(FlowHarness.order("M-2", "M", 3, "FI5542345670000081", "FI9112345600000786", "2.00"));
            h.send(FlowHarness.order("M-3", "M", 3, "FI4950009420028730", "FI2940000000000011", "3.00"));

            List<Map<String, Object>> events = scaEvents(h, 2);
            assertThat(events).extracting(e -> e.get("payerIban") + " " + e.get("count") + " " + e.get("totalEUR"))
                    .containsExactlyInAnyOrder("FI4950009420028730 2 4.00", "FI5542345670000081 1 2.00");
        }
    }

    @Test
    void aDeclaredBatchWaitsForAllItsOrdersThroughAPauseLongerThanTheQuietPeriod(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bundles.quiet-period-ms", "500"))) {
            h.send(FlowHarness.order("D-1", "D", 2, "FI4950009420028730", "FI9112345600000786", "8.00"));
            // the ERP pauses four quiet periods between the two orders of its declared batch
            Thread.sleep(2_000);
            h.send(FlowHarness.order("D-2", "D", 2, "FI4950009420028730", "FI2940000000000011", "9.00"));

            assertThat(scaEvents(h, 1)).extracting(e -> e.get("count") + " " + e.get("totalEUR")).containsExactly("2 17.00");
        }
    }

    @Test
    void anIncompleteDeclaredBatchClosesWithWhatItHasAfterTheMaximumWait(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bundles.declared-batch-max-wait-ms", "1500"))) {
            h.send(FlowHarness.order("E-1", "E", 3, "FI4950009420028730", "FI9112345600000786", "4.50"));

            assertThat(scaEvents(h, 1)).extracting(e -> e.get("count") + " " + e.get("totalEUR")).containsExactly("1 4.50");
        }
    }

    @Test
    void ordersWithoutBatchAreBundledPerPayerWithinTheWindow(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bundles.window-ms", "1500"))) {
            h.send(FlowHarness.order("W-1", null, 0, "FI4950009420028730", "FI9112345600000786", "5.00"));
            h.send(FlowHarness.order("W-2", null, 0, "FI4950009420028730", "FI2940000000000011", "6.00"));
            h.send(FlowHarness.order("W-3", null, 0, "FI5542345670000081", "FI9112345600000786", "7.00"));

            List<Map<String, Object>> events = scaEvents(h, 2);
            assertThat(events).extracting(e -> e.get("payerIban") + " " + e.get("count") + " " + e.get("totalEUR"))
                    .containsExactlyInAnyOrder("FI4950009420028730 2 11.00", "FI5542345670000081 1 7.00");
        }
    }

    private static List<Map<String, Object>> scaEvents(FlowHarness h, int expected) throws Exception {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 60 && events.size() < expected; i++) {
            Map<String, Object> e = h.nextScaEvent(500);
            if (e != null) {
                events.add(e);
            }
        }
        return events;
    }
}
