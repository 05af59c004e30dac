package org.pisbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.orders.OrderState;

/** Step 7's store: what status reads end. */
class TrackingStoreTest {
    /**
     * Two rounds (the track route's two, or two instances') each end one of a bundle's last two
     * payments at the same moment: neither sees the other's uncommitted end, so the one deciding
     * second must decide after the first committed — the bundle ends DONE, not SUBMITTED for ever.
     */
    @Test
    void aBundleWhoseLastPaymentsEndInTwoRoundsAtOnceIsDone(@TempDir Path dir) throws Exception {
        try (StoredFileBundle stored = StoredFileBundle.of(dir, 4, "pay-1", "pay-2")) {
            Database db = stored.db;
            OrderRecords records = stored.records;
            TrackingStore tracking = new TrackingStore(records);
            String bundleId = stored.bundleId;
            try (Connection c = db.dataSource().getConnection()) {
                Sql.update(c, "update order_progress set state = 'SUBMITTED' where bundle_id = ?", bundleId);
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
                    // by count, not by time: both rounds wait for the bundle's row (should they not, the loop ends
                    // when both rounds are done)
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
}
