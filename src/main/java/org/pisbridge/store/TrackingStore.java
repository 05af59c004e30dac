package org.pisbridge.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.pisbridge.orders.OrderState;

/** Step 7's view of the store: submitted payments whose status is read until final. */
public final class TrackingStore {
    /** The reason of a submitted payment whose status reads keep failing, until a read succeeds. */
    private static final String STATUS_UNREADABLE = "status cannot be read: ";

    private final OrderRecords records;

    public TrackingStore(OrderRecords records) {
        this.records = records;
    }

    /** Submitted payments whose status is due for a read. */
    public List<String> due(int max) {
        return records.tx.inTransaction(c -> Sql.strings(c, "select order_id from payment_order where state = 'SUBMITTED'"
                + " and (next_check_at is null or next_check_at <= ?) order by next_check_at fetch first " + max + " rows only",
                records.now()));
    }

    /**
     * Takes the order's status read for this instance until {@code until} (its answer, or a failure,
     * sets the next one): false when another instance took it first or it is no longer due, so two
     * instances never read and store one payment's status side by side.
     */
    public boolean claimRead(String orderId, Instant until) {
        return records.tx.inTransaction(c -> Sql.update(c, "update payment_order set next_check_at = ? where order_id = ?"
                + " and state = 'SUBMITTED' and (next_check_at is null or next_check_at <= ?)", Timestamp.from(until), orderId,
                records.now())) == 1;
    }

    /**
     * A verified status read: an event when the bank's status changed (or reads work again after
     * failing); {@code end} set when it is final.
     */
    public void statusRead(String orderId, String bankStatus, OrderState end, String reason, Instant nextCheck) {
        records.tx.inTransaction(c -> {
            PaymentOrderRow o = records.lockedOrder(c, orderId);
            if (o.state() != OrderState.SUBMITTED) {
                return null;
            }
            if (end != null) {
                records.changeOrder(c, o, OrderState.SUBMITTED, end, bankStatus, reason, "next_check_at = null");
                Sql.update(c, "update bundle set state = 'DONE', updated_at = ? where bundle_id = ? and state = 'SUBMITTED'"
                        + " and not exists (select 1 from payment_order where bundle_id = ? and state in"
                        + " ('RECEIVED','BUNDLED','CREATED','AWAITING_SCA','AUTHORIZED','SUBMITTED'))",
                        records.now(), o.bundleId(), o.bundleId());
            } else if (!bankStatus.equals(o.bankStatus()) || o.reason() != null && reason == null
                    || reason != null && !reason.equals(o.reason())) {
                records.changeOrder(c, o, OrderState.SUBMITTED, OrderState.SUBMITTED, bankStatus, reason,
                        "next_check_at = ?, check_count = check_count + 1", Timestamp.from(nextCheck));
            } else {
                records.reschedule(c, orderId, nextCheck);
            }
            return null;
        });
    }

    /**
     * A status read the bank refused, or answered untrusted, or never answered: read again at
     * {@code nextCheck}. Reported once per run of failures (an event in the same state with the
     * error as reason) when {@code report}; an unavailable bank only reschedules.
     */
    public void unreadable(String orderId, String error, boolean report, Instant nextCheck) {
        records.tx.inTransaction(c -> {
            PaymentOrderRow o = records.lockedOrder(c, orderId);
            if (o.state() != OrderState.SUBMITTED) {
                return null;
            }
            if (report) {
                records.deferred(c, o, STATUS_UNREADABLE + error + "; read again at a growing interval", nextCheck);
            } else {
                records.reschedule(c, orderId, nextCheck);
            }
            return null;
        });
    }
}
