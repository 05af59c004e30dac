package org.pisbridge.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.pisbridge.orders.OrderState;

/**
 * Step 3's view of the store: the orders of closed bundles whose payments are to be created at
 * the bank, and what became of each creation.
 */
public final class CreationStore {
    private final OrderRecords records;

    public CreationStore(OrderRecords records) {
        this.records = records;
    }

    /** Closed bundles, oldest first. */
    public List<String> closedBundles() {
        return records.tx.inTransaction(c -> Sql.strings(c, "select bundle_id from bundle where state = 'CLOSED'"
                + " order by created_at"));
    }

    /** An order whose payment is to be created, with its bundle's authorization (null until its first payment opened it). */
    public record Due(PaymentOrderRow order, String authorizationId) {
    }

    /**
     * The bundle's orders whose creation is due. While the bundle has no authorization yet only its
     * first order is: that creation opens the authorization, and the others must carry its id. The
     * first order is always the same one — the bundle's oldest not refused — until its payment
     * exists: were another taken while its creation waits for a retry (its answer lost), or while
     * another instance has just created it, the two would open two authorizations, and the first
     * order's retry, now carrying an authorizationId, would be refused as a different body under
     * its x-idempotency-key.
     */
    public List<Due> dueOf(String bundleId) {
        return records.tx.inTransaction(c -> {
            Timestamp now = Timestamp.from(records.clock.instant());
            List<String> opened = Sql.strings(c, "select authorization_id from bundle where bundle_id = ?"
                    + " and authorization_id is not null", bundleId);
            if (!opened.isEmpty()) {
                return OrderRecords.orders(c, "bundle_id = ? and state = 'BUNDLED'"
                        + " and (next_check_at is null or next_check_at <= ?) order by created_at, order_id", bundleId, now)
                        .stream().map(o -> new Due(o, opened.get(0))).toList();
            }
            // CREATED too: created by another instance since the bundle was read, its authorization is there next round
            List<String> first = Sql.strings(c, "select order_id from " + OrderRecords.ORDERS + " where bundle_id = ? and state in"
                    + " ('BUNDLED', 'CREATED') order by created_at, order_id fetch first 1 rows only", bundleId);
            return first.isEmpty() ? List.<Due>of() : OrderRecords.orders(c, "order_id = ? and state = 'BUNDLED'"
                    + " and (next_check_at is null or next_check_at <= ?)", first.get(0), now)
                    .stream().map(o -> new Due(o, null)).toList();
        });
    }

    /** The bank created an order's payment: its ids, stored with the other answers of its round. */
    public record Created(String orderId, String paymentId, String authorizationId, String bankStatus) {
    }

    /**
     * The bank created the payments: their ids stored in one transaction (orders in id order); the
     * first payment's authorization is the bundle's.
     */
    public void created(List<Created> answers) {
        if (answers.isEmpty()) {
            return;
        }
        records.tx.inTransaction(c -> {
            records.eachLocked(c, answers, Created::orderId, (order, a) -> {
                Sql.update(c, "update bundle set authorization_id = ?, updated_at = ? where bundle_id = ?"
                        + " and authorization_id is null", a.authorizationId(), records.now(), order.bundleId());
                records.changeOrderPayment(c, order, OrderState.BUNDLED, OrderState.CREATED, a.bankStatus(), null,
                        a.paymentId(), a.authorizationId(), "next_check_at = null, check_count = 0");
            });
            return null;
        });
    }

    /** The bank refused the payment (its 4xx): the order ends FAILED with the bank's words. */
    public void refused(String orderId, String reason) {
        records.end(orderId, OrderState.BUNDLED, OrderState.FAILED, reason);
    }

    /**
     * No answer, or none to trust: the order stays BUNDLED and is created again at
     * {@code nextAttempt} under the same x-idempotency-key, which gets the same payment back if the
     * bank made it. Reported once per run of failures.
     */
    public void deferred(String orderId, String reason, Instant nextAttempt) {
        records.deferred(orderId, OrderState.BUNDLED, reason, nextAttempt);
    }

    /**
     * Whether the bank's authorization must be read before the SCA: an order of the bundle was
     * refused at creation, and an earlier attempt of it (its answer lost) may have joined the
     * authorization all the same.
     */
    public boolean needsReview(String bundleId) {
        return records.tx.inTransaction(c -> !Sql.strings(c, "select p.order_seq from order_progress p join bundle b"
                + " on b.bundle_id = p.bundle_id where b.bundle_id = ? and b.authorization_id is not null and p.state = 'FAILED'"
                + " and p.payment_id is null fetch first 1 rows only", bundleId).isEmpty());
    }

    /** The payments the bundle's orders were created as, as this side knows them. */
    public java.util.Set<String> paymentIdsOf(String bundleId) {
        return new java.util.HashSet<>(records.tx.inTransaction(c -> Sql.strings(c, "select payment_id from order_progress"
                + " where bundle_id = ? and payment_id is not null", bundleId)));
    }
}
