package org.pisbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.orders.OrderState;
import org.pisbridge.orders.PaymentOrder;

/** Step 7's store: what status reads end. */
class TrackingStoreTest {
    private static final String PAYER = "FI4950009420028730";

    /**
     * Two rounds (the track route's two, or two instances') each end one of a bundle's last two
     * payments at the same moment: neither sees the other's uncommitted end, so the one deciding
     * second must decide after the first committed — the bundle ends DONE, not SUBMITTED for ever.
     */
    @Test
    void aBundleWhoseLastPaymentsEndInTwoRoundsAtOnceIsDone(@TempDir Path dir) throws Exception {
        try (Database db = Database.h2File(dir, 4)) {
            Transactions tx = new Transactions(db.dataSource());
            Clock clock = Clock.systemUTC();
            new OrderStore(tx, clock, new ExemptionRules(false, Set.of()))
                    .acceptFileLines("pay.csv", List.of(line("pay-1", 1), line("pay-2", 2)));
            OrderRecords records = new OrderRecords(tx, clock, Duration.ofHours(1));
            TrackingStore tracking = new TrackingStore(records);
            String bundleId = records.order("pay-1").bundleId();
            try (Connection c = db.dataSource().getConnection()) {
                Sql.update(c, "update payment_order set state = 'SUBMITTED' where bundle_id = ?", bundleId);
                Sql.update(c, "update bundle set state = 'SUBMITTED' where bundle_id = ?", bundleId);
            }

            ExecutorService rounds = Executors.newFixedThreadPool(2);
            try (Connection holder = db.dataSource().getConnection()) {
                // the bundle's row held, so both rounds have ended their payment before either decides
                holder.setAutoCommit(false);
                Sql.strings(holder, "select bundle_id from bundle where bundle_id = ? for update", bundleId);
                List<Future<?>> ending = List.of(
                        rounds.submit(() -> tracking.record(List.of(credited("pay-1")))),
                        rounds.submit(() -> tracking.record(List.of(credited("pay-2")))));
                try (Connection watch = db.dataSource().getConnection()) {
                    // by count, not by time: both rounds wait for the bundle's row (a round that does not lock it
                    // never waits, and this loop ends with both rounds done instead)
                    for (int i = 0; i < 6000 && blocked(watch) < 2 && !ending.stream().allMatch(Future::isDone); i++) {
                        Thread.sleep(10);
                    }
                }
                holder.commit();
                for (Future<?> round : ending) {
                    round.get();
                }
            } finally {
                rounds.shutdownNow();
            }

            assertThat(records.order("pay-1").state()).isEqualTo(OrderState.COMPLETED);
            assertThat(records.order("pay-2").state()).isEqualTo(OrderState.COMPLETED);
            assertThat(records.bundle(bundleId).orElseThrow().state()).isEqualTo(org.pisbridge.orders.BundleState.DONE);
        }
    }

    private static TrackingStore.Verified credited(String orderId) {
        return new TrackingStore.Verified(orderId, "Credited", OrderState.COMPLETED, null, null);
    }

    private static int blocked(Connection c) throws Exception {
        return Integer.parseInt(Sql.strings(c, "select cast(count(*) as varchar) from information_schema.sessions"
                + " where blocker_id is not null").get(0));
    }

    private static OrderStore.FileLine line(String orderId, int line) {
        return new OrderStore.FileLine(new PaymentOrder(orderId, null, null, PAYER, "FI9112345600000786", "Supplier " + line,
                new BigDecimal("1.0" + line), null, null, false), line);
    }
}
