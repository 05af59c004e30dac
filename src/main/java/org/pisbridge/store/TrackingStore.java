package org.pisbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.pisbridge.orders.OrderState;

/** Step 7's view of the store: submitted payments whose status is read until final. */
public final class TrackingStore {
    /** The reason of a submitted payment whose status reads keep failing, until a read succeeds. */
    private static final String STATUS_UNREADABLE = "status cannot be read: ";

    private final OrderRecords records;

    public TrackingStore(OrderRecords records) {
        this.records = records;
    }

    /**
     * Takes up to {@code max} submitted payments whose status is due for a read, for this instance
     * until {@code until} (their answers, or failures, set the next read), in one transaction: a
     * payment another instance took first, or that is no longer due, is left out, so two instances
     * never read and store one payment's status side by side.
     */
    public List<PaymentOrderRow> claimDue(int max, Instant until) {
        return records.tx.inTransaction(c -> {
            Timestamp now = records.now();
            List<PaymentOrderRow> due = OrderRecords.orders(c, "state = 'SUBMITTED' and (next_check_at is null"
                    + " or next_check_at <= ?) order by next_check_at fetch first " + max + " rows only", now);
            if (due.isEmpty()) {
                return due;
            }
            List<PaymentOrderRow> claimed = new ArrayList<>(due.size());
            try (PreparedStatement claim = c.prepareStatement("update order_progress set next_check_at = ? where order_seq = ?"
                    + " and state = 'SUBMITTED' and (next_check_at is null or next_check_at <= ?)")) {
                for (PaymentOrderRow o : due) {
                    Sql.bind(claim, Timestamp.from(until), o.orderSeq(), now);
                    claim.addBatch();
                }
                int[] taken = claim.executeBatch();
                for (int i = 0; i < taken.length; i++) {
                    if (taken[i] == 1) {
                        claimed.add(due.get(i));
                    }
                }
            }
            return claimed;
        });
    }

    /** What a status read found out, stored with the other reads of its round. */
    public interface Read {
        String orderId();
    }

    /** A verified status: {@code end} set when it is final. */
    public record Verified(String orderId, String bankStatus, OrderState end, String reason, Instant nextCheck)
            implements Read {
    }

    /**
     * A status read the bank refused, or answered untrusted, or never answered: read again at
     * {@code nextCheck}; reported (an event) when {@code report}.
     */
    public record Unreadable(String orderId, String error, boolean report, Instant nextCheck) implements Read {
    }

    /**
     * Stores a round's reads in one transaction (orders in id order, then their bundles, so two
     * instances storing rounds never wait on each other in a circle). A read lost with a crash
     * before this is only made again when its claim ends: reads change nothing at the bank.
     */
    public void record(List<Read> reads) {
        if (reads.isEmpty()) {
            return;
        }
        records.tx.inTransaction(c -> {
            Set<String> ended = new TreeSet<>();
            records.eachLocked(c, reads, Read::orderId, (o, read) -> {
                if (o.state() != OrderState.SUBMITTED) {
                    return;
                }
                if (read instanceof Verified v) {
                    if (statusRead(c, o, v) && o.bundleId() != null) {
                        ended.add(o.bundleId());
                    }
                } else if (read instanceof Unreadable u) {
                    unreadable(c, o, u);
                }
            });
            for (String bundleId : ended) {
                // the bundle's row locked first: a round ending its other payments beside this one (the other
                // round, another instance) decides after this one committed, and sees both ended
                Sql.strings(c, "select bundle_id from bundle where bundle_id = ? for update", bundleId);
                Sql.update(c, "update bundle set state = 'DONE', updated_at = ? where bundle_id = ? and state = 'SUBMITTED'"
                        + " and not exists (select 1 from order_progress where bundle_id = ? and state in"
                        + " ('RECEIVED','BUNDLED','CREATED','AWAITING_SCA','AUTHORIZED','SUBMITTED'))",
                        records.now(), bundleId, bundleId);
            }
            return null;
        });
    }

    /**
     * A verified status read: an event when the bank's status changed (or reads work again after
     * failing); true when the payment ended.
     */
    private boolean statusRead(Connection c, PaymentOrderRow o, Verified v) throws SQLException {
        if (v.end() != null) {
            records.changeOrder(c, o, OrderState.SUBMITTED, v.end(), v.bankStatus(), v.reason(), "next_check_at = null");
            return true;
        }
        if (!v.bankStatus().equals(o.bankStatus()) || o.reason() != null && v.reason() == null
                || v.reason() != null && !v.reason().equals(o.reason())) {
            records.changeOrder(c, o, OrderState.SUBMITTED, OrderState.SUBMITTED, v.bankStatus(), v.reason(),
                    "next_check_at = ?, check_count = check_count + 1", Timestamp.from(v.nextCheck()));
        } else {
            records.reschedule(c, o, v.nextCheck());
        }
        return false;
    }

    /** Reported once per run of failures (an event in the same state with the error as reason); else only rescheduled. */
    private void unreadable(Connection c, PaymentOrderRow o, Unreadable u) throws SQLException {
        if (u.report()) {
            records.deferred(c, o, STATUS_UNREADABLE + u.error() + "; read again at a growing interval", u.nextCheck());
        } else {
            records.reschedule(c, o, u.nextCheck());
        }
    }
}
