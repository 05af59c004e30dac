package org.pisbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.orders.PaymentOrder;

/** Step 3's choice of what to create: a bundle without authorization opens it with one order, always the same. */
class CreationStoreTest {
    private static final String PAYER = "FI4950009420028730";

    @Test
    void aBundleWaitsForItsFirstOrderToOpenTheAuthorization(@TempDir Path dir) throws Exception {
        try (Database db = Database.h2File(dir, 2)) {
            Transactions tx = new Transactions(db.dataSource());
            Clock clock = Clock.systemUTC();
            OrderStore orders = new OrderStore(tx, clock, new ExemptionRules(false, Set.of()));
            orders.acceptFileLines("pay.csv", List.of(line("pay-1", 1), line("pay-2", 2), line("pay-3", 3)));
            OrderRecords records = new OrderRecords(tx, clock, Duration.ofHours(1));
            CreationStore creations = new CreationStore(records);
            String bundleId = records.order("pay-1").bundleId();

            assertThat(creations.dueOf(bundleId)).extracting(d -> d.order().orderId()).containsExactly("pay-1");

            // its creation got no answer: it is made again later under its key, and until then no other order
            // may open a second authorization (the first's retry would then carry an authorizationId: another body)
            creations.deferred("pay-1", "creation delayed: no answer", Instant.now().plusSeconds(3600));
            assertThat(creations.dueOf(bundleId)).isEmpty();

            // refused by the bank, it opens nothing: the next order does
            creations.refused("pay-1", "the bank refused it");
            assertThat(creations.dueOf(bundleId)).extracting(d -> d.order().orderId()).containsExactly("pay-2");

            // created (by another instance, say) before this bundle's authorization was seen: nothing until it is
            creations.created(List.of(new CreationStore.Created("pay-2", "p-2", "a-1", "Unauthorized")));
            assertThat(creations.dueOf(bundleId)).singleElement().satisfies(d -> {
                assertThat(d.order().orderId()).isEqualTo("pay-3");
                assertThat(d.authorizationId()).isEqualTo("a-1");
            });
        }
    }

    private static OrderStore.FileLine line(String orderId, int line) {
        return new OrderStore.FileLine(new PaymentOrder(orderId, null, null, PAYER, "FI9112345600000786", "Supplier " + line,
                new BigDecimal("1.0" + line), null, null, false), line);
    }
}
