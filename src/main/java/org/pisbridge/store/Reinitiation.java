package org.pisbridge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.pisbridge.orders.OrderState;

/**
 * Orders whose payments at the bank can no longer be used (their authorization's access is lost)
 * start again: a new bundle, a new generation of their payments and a new SCA. The new
 * x-idempotency-key joins the orderId and the generation on two lines (no orderId holds a line
 * break), so the bank creates new payments rather than answering with the old ones. The old
 * payments were never submitted, so nothing is paid twice; the orders stay open and their event
 * says why.
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

    private String again(String bundleId, OrderState from, String condition, String reason) {
        return records.tx.inTransaction(c -> again(c, bundleId, from, condition, reason));
    }

    private String again(Connection c, String bundleId, OrderState from, String condition, String reason) throws SQLException {
        List<PaymentOrderRow> orders = OrderRecords.orders(c, "bundle_id = ? and state = ?" + condition
                + " order by created_at, order_id for update", bundleId, from.name());
        if (orders.isEmpty()) {
            return null;
        }
        String payer = orders.get(0).payerIban();
        String again = UUID.randomUUID().toString();
        Timestamp now = records.now();
        Sql.update(c, "insert into bundle (bundle_id, batch_key, payer_iban, state, created_at, updated_at)"
                + " values (?, ?, ?, 'CLOSED', ?, ?)", again, "again:" + bundleId, payer, now, now);
        for (PaymentOrderRow o : orders) {
            int generation = Integer.parseInt(Sql.strings(c, "select generation from payment_order where order_id = ?",
                    o.orderId()).get(0)) + 1;
            records.changeOrder(c, o, from, OrderState.BUNDLED, null, reason,
                    "bundle_id = ?, generation = ?, idempotency_key = ?, payment_id = null, authorization_id = null,"
                            + " submission_id = null, submission_state = null, next_check_at = null, check_count = 0",
                    again, generation, OrderStore.idempotencyKey(o.orderId() + "\n" + generation));
        }
        return again;
    }
}
