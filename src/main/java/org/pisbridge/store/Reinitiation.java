package org.pisbridge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.pisbridge.orders.OrderState;

/**
 * Orders start again with a new generation of their payments and a new SCA: when their payments at
 * the bank can no longer be used (their authorization's access or code exchange is lost), or when
 * an ended, unpaid order is re-submitted by request. The new x-idempotency-key joins the orderId
 * and the generation on two lines (no orderId holds a line break), so the bank creates new payments
 * rather than answering with the old ones. The old payments were never submitted, so nothing is
 * paid twice; the orders' events say why.
 */
public final class Reinitiation {
    private final OrderRecords records;

    public Reinitiation(OrderRecords records) {
        this.records = records;
    }

    /**
     * The bundle's authorised orders that never reached the bank's submission (no PUT sent, or the
     * bank said it has none) go into one new closed bundle of the same payer. Orders whose
     * submission may have reached the bank stay, to be read. Returns the new bundle's id, or null
     * when no order had to start again.
     */
    public String unsubmittedOf(String bundleId, String reason) {
        return again(bundleId, OrderState.AUTHORIZED, " and (submission_state is null or submission_state = 'ABSENT')", reason);
    }

    /**
     * A bundle waiting for SCA whose authorization cannot be completed any more (the code was
     * spent and its answer lost): it is replaced, and all its orders start again for a new SCA.
     */
    public String awaitingScaOf(String bundleId, String reason) {
        return records.tx.inTransaction(c -> {
            int replaced = Sql.update(c, "update bundle set state = 'REPLACED', reason = ?, updated_at = ? where bundle_id = ?"
                    + " and state = 'AWAITING_SCA'", OrderRecords.fitting(reason), records.now(), bundleId);
            return replaced == 0 ? null : again(c, bundleId, OrderState.AWAITING_SCA, "", reason);
        });
    }

    /** The states of an order that ended without being paid, and may be re-submitted under its orderId. */
    public static final List<String> RESUBMITTABLE = List.of("FAILED", "EXPIRED", "SCA_REJECTED", "CANCELLED");

    /**
     * An ended, unpaid order re-submitted by request (the bank said its earlier payment was not
     * booked, and no longer exists there): a new bundle of its own, a new generation of its payment,
     * a new SCA. Returns the new bundle's id, or null when the order was not (or no longer) ended unpaid.
     */
    public String resubmitted(String orderId, String reason) {
        return records.tx.inTransaction(c -> {
            PaymentOrderRow o = OrderRecords.lockedOrder(c, orderId);
            if (!RESUBMITTABLE.contains(o.state().name())) {
                return null;
            }
            return again(c, o, o.state(), "again:" + orderId, reason);
        });
    }

    /**
     * An ended order whose earlier payment the bank reports booked after all: tracked again to its
     * real end, from the bank's status. False when the order was not ended unpaid.
     */
    public boolean foundBooked(String orderId, String bankStatus, String reason) {
        return records.tx.inTransaction(c -> {
            PaymentOrderRow o = OrderRecords.lockedOrder(c, orderId);
            if (!RESUBMITTABLE.contains(o.state().name())) {
                return false;
            }
            records.changeOrder(c, o, o.state(), OrderState.SUBMITTED, bankStatus, reason,
                    "next_check_at = ?, check_count = 0", records.now());
            return true;
        });
    }

    private String again(String bundleId, OrderState from, String condition, String reason) {
        return records.tx.inTransaction(c -> again(c, bundleId, from, condition, reason));
    }

    private String again(Connection c, String bundleId, OrderState from, String condition, String reason) throws SQLException {
        List<PaymentOrderRow> orders = OrderRecords.lockedOrders(c, Sql.strings(c, "select order_id from " + OrderRecords.ORDERS
                + " where bundle_id = ? and state = ?" + condition, bundleId, from.name()));
        return orders.isEmpty() ? null : again(c, orders, from, "again:" + bundleId, reason);
    }

    private String again(Connection c, PaymentOrderRow order, OrderState from, String batchKey, String reason)
            throws SQLException {
        return again(c, List.of(order), from, batchKey, reason);
    }

    /** The orders, all of one payer, into one new closed bundle under a new generation of their payments. */
    private String again(Connection c, List<PaymentOrderRow> orders, OrderState from, String batchKey, String reason)
            throws SQLException {
        String payer = orders.get(0).payerIban();
        String again = UUID.randomUUID().toString();
        Timestamp now = records.now();
        Sql.update(c, "insert into bundle (bundle_id, batch_key, payer_iban, state, created_at, updated_at)"
                + " values (?, ?, ?, 'CLOSED', ?, ?)", again, batchKey, payer, now, now);
        for (PaymentOrderRow o : orders) {
            if (o.state() != from) {
                continue; // moved on meanwhile: no new payment, no new key
            }
            int generation = Integer.parseInt(Sql.strings(c, "select generation from order_progress where order_seq = ?",
                    o.orderSeq()).get(0)) + 1;
            String key = IdempotencyKeys.give(c, o.orderId(), o.orderId() + "\n" + generation, now.toInstant());
            records.changeOrderPayment(c, o, from, OrderState.BUNDLED, null, reason, null, null,
                    "bundle_id = ?, generation = ?, idempotency_key = ?, submission_id = null, submission_state = null,"
                            + " next_check_at = null, check_count = 0",
                    again, generation, key);
        }
        return again;
    }
}
