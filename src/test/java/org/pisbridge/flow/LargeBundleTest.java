package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * A 200-order bundle whose user access token expires in the middle of submitting: the access is
 * renewed and every payment is submitted and completed, each booked once.
 */
class LargeBundleTest {

    @Test
    void aUserTokenExpiringMidwayIsRenewedAndTheWholeBundleIsPaid(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.track.max-interval-seconds", "2"))) {
            List<String> ids = IntStream.rangeClosed(1, 200).mapToObj(i -> "L-" + i).toList();
            for (String id : ids) {
                h.send(FlowHarness.order(id, "large", 200, "FI4950009420028730", "FI9112345600000786", "1.00"));
            }
            Map<String, Object> sca = h.scaEventFor("200.00", 1_200);
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);

            for (int i = 0; i < 600 && submitted(h) < 20; i++) {
                Thread.sleep(20);
            }
            int before = submitted(h);
            assertThat(before).isLessThan(200);
            // the bank ends the SCA's access token early: every later submission with it gets 401
            h.bank.state().tokens.values().stream().filter(t -> t.kind == TokenGrant.Kind.USER)
                    .forEach(t -> t.expiresAt = Instant.now().minusSeconds(1));

            Map<String, List<Map<String, Object>>> events = h.eventsUntilFinal(ids, 6_000);
            assertThat(events.values()).allSatisfy(e -> assertThat(FlowHarness.lastState(e)).isEqualTo("COMPLETED"));
            h.bank.state().payments.values().stream().filter(p -> p.message.startsWith("Test payment L-"))
                    .forEach(p -> assertThat(h.bank.bookings(p.paymentId)).isEqualTo(1));
        }
    }

    private static int submitted(FlowHarness h) {
        return (int) h.bank.state().payments.values().stream().filter(p -> p.submissionId != null).count();
    }
}
