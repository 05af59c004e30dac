package org.pisbridge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pisbridge.orders.OrderState;
import org.pisbridge.orders.StatusEvent;

/**
 * What every bank stage's store shares: reading orders and bundles, and the one way an order's
 * state changes — conditional on the state it leaves (a step done twice changes nothing the second
 * time) and recorded with its status event in the same transaction.
 */
public final class OrderRecords {
    /** What the store keeps of a reason; longer words (a bank's error body) are cut, never a failure to store. */
    static final int REASON_MAX = 2000;

    final Transactions tx;
    final StatusOutbox outbox = new StatusOutbox();
    final Clock clock;
    private final Duration attentionAfter;

    /** @param attentionAfter how long a step may keep failing before it is flagged for an operator */
    public OrderRecords(Transactions tx, Clock clock, Duration attentionAfter) {
        this.tx = tx;
        this.clock = clock;
        this.attentionAfter = attentionAfter;
    }

    public PaymentOrderRow order(String orderId) {
        return tx.inTransaction(c -> orders(c, "order_id = ?", orderId)).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("No order " + orderId));
    }

    public Optional<BundleRow> bundle(String bundleId) {
        return tx.inTransaction(c -> bundleWhere(c, "bundle_id = ?", bundleId));
    }

    /** The reason cut to what the store keeps, marked where cut. */
    public static String fitting(String reason) {
        if (reason == null || reason.length() <= REASON_MAX) {
            return reason;
        }
        String mark = " … [cut, " + reason.length() + " characters]";
        return reason.substring(0, REASON_MAX - mark.length()) + mark;
    }

    /** Ends the order, in one transaction, when it is still in {@code from} (the bank's refusal of a step). */
    void end(String orderId, OrderState from, OrderState end, String reason) {
        tx.inTransaction(c -> {
            changeOrder(c, lockedOrder(c, orderId), from, end, null, reason, null);
            return null;
        });
    }

    /** {@link #deferred} in its own transaction, when the order is still in {@code in}. */
    void deferred(String orderId, OrderState in, String reason, Instant nextAttempt) {
        tx.inTransaction(c -> {
            PaymentOrderRow o = lockedOrder(c, orderId);
            if (o.state() == in) {
                deferred(c, o, reason, nextAttempt);
            }
            return null;
        });
    }

    void changeOrder(Connection c, PaymentOrderRow o, OrderState from, OrderState to, String bankStatus,
                     String reason, String extraSet, Object... extra) throws SQLException {
        changeOrder(c, o, from, to, bankStatus, reason, o.paymentId(), o.authorizationId(), extraSet, extra);
    }

    /** As {@link #changeOrder}, the order's payment and authorization set to these (null: none) with it. */
    void changeOrderPayment(Connection c, PaymentOrderRow o, OrderState from, OrderState to, String bankStatus, String reason,
                            String paymentId, String authorizationId, String extraSet, Object... extra) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(Sql.nullable(paymentId), Sql.nullable(authorizationId)));
        params.addAll(List.of(extra));
        changeOrder(c, o, from, to, bankStatus, reason, paymentId, authorizationId,
                "payment_id = ?, authorization_id = ?" + (extraSet == null ? "" : ", " + extraSet), params.toArray());
    }

    private void changeOrder(Connection c, PaymentOrderRow o, OrderState from, OrderState to, String bankStatus, String reason,
                             String paymentId, String authorizationId, String extraSet, Object... extra) throws SQLException {
        if (o.state() != from) {
            return; // already moved on: a repeated step changes nothing
        }
        String kept = fitting(reason);
        List<Object> params = new ArrayList<>(List.of(to.name(), Sql.nullable(bankStatus), Sql.nullable(kept), now()));
        params.addAll(List.of(extra));
        params.add(o.orderSeq());
        params.add(from.name());
        Sql.update(c, "update order_progress set state = ?, bank_status = ?, reason = ?, updated_at = ?"
                + (extraSet == null ? "" : ", " + extraSet) + " where order_seq = ? and state = ?", params.toArray());
        outbox.record(c, new StatusEvent(o.orderId(), paymentId, authorizationId, to, bankStatus, kept, clock.instant()));
    }

    /**
     * A step that could not finish and is tried again at {@code nextAttempt}: the order keeps its
     * state. The first time in a run the reason is reported once, as an event in the same state;
     * later attempts of the same run only reschedule, until the run has lasted longer than
     * {@code attentionAfter}: then it is reported once more, flagged for an operator — still not a
     * final state.
     */
    void deferred(Connection c, PaymentOrderRow o, String reason, Instant nextAttempt) throws SQLException {
        String kind = reasonKind(reason);
        String stored = o.reason() == null ? "" : o.reason();
        boolean flagged = stored.startsWith(NEEDS_AN_OPERATOR);
        if (!stored.startsWith(kind) && !(flagged && stored.startsWith(NEEDS_AN_OPERATOR + kind))) {
            changeOrder(c, o, o.state(), o.state(), o.bankStatus(), reason,
                    "next_check_at = ?, check_count = check_count + 1, trouble_since = ?", Timestamp.from(nextAttempt), now());
            return;
        }
        Timestamp since = Sql.timestamp(c, "select trouble_since from order_progress where order_seq = ?", o.orderSeq());
        if (!flagged && since != null && since.toInstant().isBefore(clock.instant().minus(attentionAfter))) {
            changeOrder(c, o, o.state(), o.state(), o.bankStatus(), NEEDS_AN_OPERATOR + reason,
                    "next_check_at = ?, check_count = check_count + 1", Timestamp.from(nextAttempt));
        } else {
            reschedule(c, o, nextAttempt);
        }
    }

    /** The mark of a reason reported again because its trouble has lasted longer than an operator should let it. */
    public static final String NEEDS_AN_OPERATOR = "needs an operator: ";

    /** The words before the first colon name the kind of trouble, e.g. "creation delayed". */
    private static String reasonKind(String reason) {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon + 1);
    }

    void reschedule(Connection c, PaymentOrderRow o, Instant nextCheck) throws SQLException {
        Sql.update(c, "update order_progress set next_check_at = ?, check_count = check_count + 1, updated_at = ?"
                + " where order_seq = ?", Timestamp.from(nextCheck), now(), o.orderSeq());
    }

    static PaymentOrderRow lockedOrder(Connection c, String orderId) throws SQLException {
        List<PaymentOrderRow> rows = lockedOrders(c, List.of(orderId));
        if (rows.isEmpty()) {
            throw new IllegalStateException("No order " + orderId);
        }
        return rows.get(0);
    }

    /** The most orders one locking select takes: H2 parses a select "for update" anew each time, so a round locks in few. */
    private static final int LOCK_CHUNK = 100;

    /**
     * Locks the orders' progress in {@code order_seq} order (so two rounds never wait on each other
     * in a circle), a chunk per select, and returns them in that order; an order not stored is left
     * out. Only {@code order_progress} rows are locked: a join "for update" would lock (in H2: write)
     * the orders as received too, which never change.
     */
    static List<PaymentOrderRow> lockedOrders(Connection c, java.util.Collection<String> orderIds) throws SQLException {
        List<String> ids = orderIds.stream().distinct().toList();
        List<Long> seqs = new ArrayList<>(ids.size());
        for (List<String> chunk : chunks(ids)) {
            seqs.addAll(Sql.rows(c, "select order_seq from payment_order where order_id in (" + marks(chunk) + ")",
                    rs -> rs.getLong(1), chunk.toArray()));
        }
        seqs.sort(null);
        List<PaymentOrderRow> locked = new ArrayList<>(seqs.size());
        for (List<Long> chunk : chunks(seqs)) {
            String in = "order_seq in (" + marks(chunk) + ")";
            Sql.strings(c, "select order_seq from order_progress where " + in + " order by order_seq for update", chunk.toArray());
            locked.addAll(orders(c, "p." + in + " order by p.order_seq", chunk.toArray()));
        }
        return locked;
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += LOCK_CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + LOCK_CHUNK)));
        }
        return chunks;
    }

    private static String marks(List<?> values) {
        return String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
    }

    /** Work on one locked order of a round, with the round's item for it. */
    @FunctionalInterface
    interface LockedWork<T> {
        void apply(PaymentOrderRow order, T item) throws SQLException;
    }

    /**
     * Locks the orders a round's items name ({@link #lockedOrders}) and does each item's work on its
     * order, in the lock order; of two items for one order, the later counts.
     */
    <T> void eachLocked(Connection c, List<T> items, java.util.function.Function<T, String> orderId, LockedWork<T> work)
            throws SQLException {
        java.util.Map<String, T> byOrder = items.stream()
                .collect(java.util.stream.Collectors.toMap(orderId, item -> item, (earlier, later) -> later));
        List<PaymentOrderRow> locked = lockedOrders(c, byOrder.keySet());
        if (locked.size() != byOrder.size()) {
            throw new IllegalStateException("No order among " + byOrder.size() + " of a round: " + byOrder.keySet());
        }
        for (PaymentOrderRow order : locked) {
            work.apply(order, byOrder.get(order.orderId()));
        }
    }

    static Optional<BundleRow> bundleWhere(Connection c, String where, Object param) throws SQLException {
        return Sql.rows(c, "select " + BundleRow.COLUMNS + " from bundle where " + where, BundleRow::read, param).stream()
                .findFirst();
    }

    /**
     * Orders as received joined with where they are: {@code o} and {@code p}; only {@code order_seq}
     * is in both, every other column can be named alone.
     */
    static final String ORDERS = "payment_order o join order_progress p on p.order_seq = o.order_seq";

    static List<PaymentOrderRow> orders(Connection c, String where, Object... params) throws SQLException {
        return Sql.rows(c, "select " + PaymentOrderRow.COLUMNS + " from " + ORDERS + " where " + where, PaymentOrderRow::read,
                params);
    }

    Timestamp now() {
        return Timestamp.from(clock.instant());
    }
}
