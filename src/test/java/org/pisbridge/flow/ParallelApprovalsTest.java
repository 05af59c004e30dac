package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One payer approves several batches at the same moment (tabs side by side, or colleagues
 * sharing the company's payer account): each approval's grant is stored, each batch is paid once,
 * none is withdrawn for a new SCA. Before, two approvals storing the payer's grant at once made
 * one fail on the grant's key, and its bundle, its tokens seemingly lost, was replaced.
 */
class ParallelApprovalsTest {
    private static final String PAYER = "FI4950009420028730";

    @Test
    void batchesOfOnePayerApprovedAtOnceAreEachPaidOnce(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            List<String> ids = new ArrayList<>();
            for (int b = 1; b <= 4; b++) {
                for (int i = 1; i <= 2; i++) {
                    String id = "PA" + b + "-" + i;
                    ids.add(id);
                    h.send(FlowHarness.order(id, "PA" + b, 2, PAYER, "FI9112345600000786", b + ".00"));
                }
            }
            List<String> links = new ArrayList<>();
            while (links.size() < 4) {
                Map<String, Object> sca = h.nextScaEvent(60_000);
                assertThat(sca).as("SCA event %d of 4", links.size() + 1).isNotNull();
                links.add(sca.get("link").toString());
            }
            ExecutorService approvers = Executors.newFixedThreadPool(links.size());
            try {
                List<Future<Integer>> approved = new ArrayList<>();
                for (String link : links) {
                    approved.add(approvers.submit(() -> h.user().approve(URI.create(link)).status()));
                }
                for (Future<Integer> status : approved) {
                    assertThat(status.get()).isEqualTo(200);
                }
            } finally {
                approvers.shutdownNow();
            }
            Map<String, List<Map<String, Object>>> events = h.eventsUntilFinal(ids, 400);
            ids.forEach(id -> assertThat(FlowHarness.lastState(events.get(id))).as(id).isEqualTo("COMPLETED"));
            // paid once each, and never sent to a new SCA
            ids.forEach(id -> assertThat(h.bank.state().payments.values().stream()
                    .filter(p -> p.message.equals("Test payment " + id))).as(id).hasSize(1));
            events.values().stream().flatMap(List::stream)
                    .forEach(e -> assertThat(String.valueOf(e.get("reason"))).doesNotContain("new SCA"));
        }
    }
}
