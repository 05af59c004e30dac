package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intake is idempotent per message: the same order again (a redelivered message, an ERP's re-send)
 * is acknowledged without a new event; another order under a used orderId is refused in an event
 * that cannot pass for the stored order's state; a batchId can be used again by the next batch.
 */
class IntakeIdempotencyTest {
    private static final String PAYER = "FI4950009420028730";
    private static final String PAYEE = "FI9112345600000786";

    @Test
    void theSameOrderTwiceIsOneOrderAndAnotherUnderItsIdIsRefusedAsInput(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bundles.quiet-period-ms", "600000"))) {
            Map<String, Object> order = FlowHarness.order("I-1", "I", 2, PAYER, PAYEE, "11.00");
            h.send(order);
            h.send(order);
            Map<String, Object> other = FlowHarness.order("I-1", "I", 2, PAYER, "FI2940000000000011", "12.00");
            h.send(other);
            h.send(FlowHarness.order("I-2", "I", 2, PAYER, PAYEE, "13.00"));

            Map<String, Object> sca = h.scaEventFor("24.00");
            assertThat(sca.get("count")).isEqualTo(2);
            List<Map<String, Object>> events = h.eventsUntil(List.of("I-1"), List.of("AWAITING_SCA"), 60).get("I-1");
            assertThat(events).filteredOn(e -> "RECEIVED".equals(e.get("state"))).hasSize(1);
            List<Map<String, Object>> refused = events.stream().filter(e -> "DUPLICATE".equals(e.get("state"))).toList();
            assertThat(refused).hasSize(1);
            assertThat(refused.get(0)).containsEntry("event", "INPUT_REFUSED");
            assertThat(refused.get(0).get("reason").toString()).contains("payee.iban", "amountEUR").doesNotContain("payer.iban");
            assertThat(events).filteredOn(e -> !"DUPLICATE".equals(e.get("state")))
                    .allSatisfy(e -> assertThat(e).containsEntry("event", "ORDER_STATUS"));
        }
    }

    @Test
    void twoMonthsUnderOneBatchIdAreOneScaEach(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bundles.quiet-period-ms", "600000"))) {
            for (String month : List.of("11", "12")) {
                h.send(FlowHarness.order("P-" + month + "-1", "payroll", 2, PAYER, PAYEE, month + ".10"));
                h.send(FlowHarness.order("P-" + month + "-2", "payroll", 2, PAYER, PAYEE, month + ".20"));
                Map<String, Object> sca = h.scaEventFor(month.equals("11") ? "22.30" : "24.30");
                assertThat(sca.get("count")).isEqualTo(2);
                assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
                Map<String, List<Map<String, Object>>> done = h.eventsUntilFinal(List.of("P-" + month + "-1", "P-" + month + "-2"), 240);
                assertThat(new ArrayList<>(done.values())).allSatisfy(e -> assertThat(FlowHarness.lastState(e)).isEqualTo("COMPLETED"));
            }
        }
    }
}
