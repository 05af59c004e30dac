package org.pisbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.pisbridge.orders.BundleState;
import org.pisbridge.orders.OrderState;
import org.pisbridge.orders.StatusEvent;

/**
 * The bank stages' view of the store: bundles and their payments moving from CLOSED to final.
 * Each method is one transaction; every order state change records its status event with it.
 * State changes are conditional on the state they leave, so a step done twice (a restart, a
 * second instance) changes nothing the second time.
 */
public final class PaymentStore {
    private final Transactions tx;
    private final StatusOutbox outbox = new StatusOutbox();
    private final Clock clock;

    public PaymentStore(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    public PaymentStore(Transactions tx) {
        this(tx, Clock.systemUTC());
    }

    // ---- reads -------------------------------------------------------------------------------

    public List<String> bundlesIn(BundleState state) {
        return tx.inTransaction(c -> Sql.strings(c, "select bundle_id from bundle where state = ? order by created_at", state.name()));
    }

    public Optional<BundleRow> bundle(String bundleId) {
        return tx.inTransaction(c -> bundleWhere(c, "bundle_id = ?", bundleId));
    }

    public Optional<BundleRow> bundleByScaState(String scaState) {
        return tx.inTransaction(c -> bundleWhere(c, "sca_state = ?", scaState));
    }

    public List<PaymentOrderRow> ordersOf(String bundleId, OrderState state) {
        return tx.inTransaction(c -> orders(c, "bundle_id = ? and state = ? order by created_at, order_id",
                bundleId, state.name()));
    }

    public List<String> orderIdsOf(String bundleId, OrderState state) {
        return ordersOf(bundleId, state).stream().map(PaymentOrderRow::orderId).toList();
    }

    public List<PaymentOrderRow> ordersOf(String bundleId) {
        return tx.inTransaction(c -> orders(c, "bundle_id = ? order by created_at, order_id", bundleId));
    }

    public PaymentOrderRow order(String orderId) {
        return tx.inTransaction(c -> orders(c, "order_id = ?", orderId)).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("No order " + orderId));
    }

    /** Submitted payments whose status is due for a check. */
    public List<PaymentOrderRow> dueForCheck(int max) {
        return tx.inTransaction(c -> orders(c, "state = 'SUBMITTED' and (next_check_at is null or next_check_at <= ?)"
                + " order by next_check_at fetch first " + max + " rows only", Timestamp.from(clock.instant())));
    }

    /** A bundle waiting for SCA, as the operator's page lists it. */
    public record AwaitingSca(String bundleId, String payerIban, int count, BigDecimal total, Instant deadline) {
    }

    public List<AwaitingSca> awaitingSca() {
        return tx.inTransaction(c -> {
            List<AwaitingSca> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select b.bundle_id, b.payer_iban, b.sca_deadline,"
                    + " count(o.order_id), sum(o.amount_eur) from bundle b join payment_order o on o.bundle_id = b.bundle_id"
                    + " and o.state = 'AWAITING_SCA' where b.state = 'AWAITING_SCA'"
                    + " group by b.bundle_id, b.payer_iban, b.sca_deadline order by b.sca_deadline");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new AwaitingSca(rs.getString(1), rs.getString(2), rs.getInt(4), rs.getBigDecimal(5),
                            rs.getTimestamp(3).toInstant()));
                }
            }
            return list;
        });
    }

    /** Bundles still waiting for SCA after their deadline. */
    public List<String> scaOverdue() {
        return tx.inTransaction(c -> Sql.strings(c, "select bundle_id from bundle where state = 'AWAITING_SCA'"
                + " and sca_deadline < ?", Timestamp.from(clock.instant())));
    }

    // ---- create ------------------------------------------------------------------------------

    /** The bank created the payment: store its ids; the first payment's authorization is the bundle's. */
    public void paymentCreated(String orderId, String paymentId, String authorizationId, String bankStatus) {
        tx.inTransaction(c -> {
            PaymentOrderRow order = lockedOrder(c, orderId);
            Sql.update(c, "update bundle set authorization_id = ?, updated_at = ? where bundle_id = ? and authorization_id is null",
                    authorizationId, now(), order.bundleId());
            changeOrder(c, order, OrderState.BUNDLED, OrderState.CREATED, bankStatus, null,
                    "payment_id = ?, authorization_id = ?", paymentId, authorizationId);
            return null;
        });
    }

    /** Ends one order with a final state and a reason (never reused: the bank's answer is kept verbatim). */
    public void orderEnded(String orderId, OrderState from, OrderState end, String bankStatus, String reason) {
        tx.inTransaction(c -> {
            changeOrder(c, lockedOrder(c, orderId), from, end, bankStatus, reason, null);
            return null;
        });
    }

    // ---- authorize ---------------------------------------------------------------------------

    /**
     * All payments of a closed bundle are created: record the request object's state and nonce,
     * and the "SCA required" event with the runtime's {@code link}, in one transaction. A bundle
     * none of whose payments could be created ends FAILED. Returns the event, or null when the
     * bundle does not (or no longer) wait for SCA.
     */
    public Map<String, Object> awaitSca(String bundleId, String scaState, String nonce, Instant deadline, String link) {
        return tx.inTransaction(c -> {
            List<PaymentOrderRow> created = orders(c, "bundle_id = ? and state = 'CREATED' order by created_at, order_id", bundleId);
            if (created.isEmpty()) {
                Sql.update(c, "update bundle set state = 'FAILED', reason = ?, updated_at = ? where bundle_id = ? and state = 'CLOSED'",
                        "no payment of the bundle could be created", now(), bundleId);
                return null;
            }
            int changed = Sql.update(c, "update bundle set state = 'AWAITING_SCA', sca_state = ?, sca_nonce = ?,"
                    + " sca_deadline = ?, updated_at = ? where bundle_id = ? and state = 'CLOSED'",
                    scaState, nonce, Timestamp.from(deadline), now(), bundleId);
            if (changed == 0) {
                return null;
            }
            for (PaymentOrderRow o : created) {
                changeOrder(c, o, OrderState.CREATED, OrderState.AWAITING_SCA, o.bankStatus(), null, null);
            }
            BundleRow bundle = bundleWhere(c, "bundle_id = ?", bundleId).orElseThrow();
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("bundleId", bundleId);
            event.put("authorizationId", bundle.authorizationId());
            event.put("count", created.size());
            event.put("totalEUR", created.stream().map(PaymentOrderRow::amountEur).reduce(BigDecimal.ZERO, BigDecimal::add)
                    .setScale(2).toPlainString());
            event.put("payerIban", bundle.payerIban());
            event.put("link", link);
            event.put("deadline", deadline.toString());
            outbox.recordScaRequired(c, bundleId, event, clock.instant());
            return event;
        });
    }

    /** Ties the bundle's SCA to the browser that opened the SCA link (hash of its cookie). */
    public void bindBrowser(String bundleId, String bindingHash) {
        tx.inTransaction(c -> Sql.update(c, "update bundle set browser_binding = ?, updated_at = ? where bundle_id = ?"
                + " and state = 'AWAITING_SCA'", bindingHash, now(), bundleId));
    }

    /**
     * The SCA succeeded: keep the user's (encrypted) access token, and the refresh token that can
     * renew it (null when the bank gave none), and move every payment on.
     */
    public boolean authorized(String bundleId, String encryptedAccessToken, Instant expiresAt, String encryptedRefreshToken) {
        return tx.inTransaction(c -> {
            int changed = Sql.update(c, "update bundle set state = 'AUTHORIZED', access_token = ?, access_expires_at = ?,"
                    + " refresh_token = ?, updated_at = ? where bundle_id = ? and state = 'AWAITING_SCA'",
                    encryptedAccessToken, Timestamp.from(expiresAt), Sql.nullable(encryptedRefreshToken), now(), bundleId);
            if (changed == 1) {
                for (PaymentOrderRow o : orders(c, "bundle_id = ? and state = 'AWAITING_SCA'", bundleId)) {
                    changeOrder(c, o, OrderState.AWAITING_SCA, OrderState.AUTHORIZED, o.bankStatus(), null, null);
                }
            }
            return changed == 1;
        });
    }

    /** The SCA did not happen (refused, invalid answer, expired): the bundle and its waiting orders end. */
    public boolean scaEnded(String bundleId, BundleState end, OrderState orderEnd, String reason) {
        return tx.inTransaction(c -> {
            int changed = Sql.update(c, "update bundle set state = ?, reason = ?, updated_at = ? where bundle_id = ?"
                    + " and state = 'AWAITING_SCA'", end.name(), reason, now(), bundleId);
            if (changed == 1) {
                for (PaymentOrderRow o : orders(c, "bundle_id = ? and state = 'AWAITING_SCA'", bundleId)) {
                    changeOrder(c, o, OrderState.AWAITING_SCA, orderEnd, o.bankStatus(), reason, null);
                }
            }
            return changed == 1;
        });
    }

    // ---- exemption flow: one order, no bundle ------------------------------------------------

    /** Orders of the exemption flow (no bundle) in {@code state}, oldest first. */
    public List<String> exemptionOrderIds(OrderState state) {
        return tx.inTransaction(c -> Sql.strings(c, "select order_id from payment_order where bundle_id is null"
                + " and state = ? order by created_at, order_id", state.name()));
    }

    /** The exemption payment was created with the user's token; its own authorization is next. */
    public void exemptionCreated(String orderId, String paymentId, String authorizationId, String bankStatus) {
        tx.inTransaction(c -> {
            changeOrder(c, lockedOrder(c, orderId), OrderState.EXEMPTION, OrderState.CREATED, bankStatus, null,
                    "payment_id = ?, authorization_id = ?", paymentId, authorizationId);
            return null;
        });
    }

    /** The bank accepted the exemption assertion: keep its (encrypted) token for the submission. */
    public void exemptionAuthorized(String orderId, String encryptedAccessToken) {
        tx.inTransaction(c -> {
            PaymentOrderRow o = lockedOrder(c, orderId);
            changeOrder(c, o, OrderState.CREATED, OrderState.AUTHORIZED, o.bankStatus(), null,
                    "access_token = ?", encryptedAccessToken);
            return null;
        });
    }

    /** What the ERP told about the customer behind an order; each field null when not given. */
    public record Customer(String ipAddress, String userAgent, Instant lastLoggedAt) {
    }

    public Customer customerOf(String orderId) {
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("select customer_ip_address, customer_user_agent,"
                    + " customer_last_logged_at from payment_order where order_id = ?")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("No order " + orderId);
                    }
                    Timestamp at = rs.getTimestamp(3);
                    return new Customer(rs.getString(1), rs.getString(2), at == null ? null : at.toInstant());
                }
            }
        });
    }

    /** The encrypted access token an exemption order is submitted with. */
    public String exemptionAccessToken(String orderId) {
        return tx.inTransaction(c -> Sql.strings(c, "select access_token from payment_order where order_id = ?", orderId))
                .stream().findFirst().orElse(null);
    }

    // ---- submit ------------------------------------------------------------------------------

    /** The submissionId of an order: generated and stored on first use, so every retry reuses it. */
    public String submissionId(String orderId) {
        return tx.inTransaction(c -> {
            PaymentOrderRow o = lockedOrder(c, orderId);
            if (o.submissionId() != null) {
                return o.submissionId();
            }
            String id = UUID.randomUUID().toString();
            Sql.update(c, "update payment_order set submission_id = ?, updated_at = ? where order_id = ?", id, now(), orderId);
            return id;
        });
    }

    public void submitted(String orderId, String bankStatus, Instant nextCheck) {
        tx.inTransaction(c -> {
            changeOrder(c, lockedOrder(c, orderId), OrderState.AUTHORIZED, OrderState.SUBMITTED, bankStatus, null,
                    "next_check_at = ?, access_token = null", Timestamp.from(nextCheck));
            return null;
        });
    }

    /** The (encrypted) refresh token of the bundle's SCA, while its payments wait for submission. */
    public Optional<String> bundleRefreshToken(String bundleId) {
        return tx.inTransaction(c -> Sql.strings(c, "select refresh_token from bundle where bundle_id = ?"
                + " and refresh_token is not null", bundleId).stream().findFirst());
    }

    /** The bundle's access renewed with its refresh token (rotated by the bank: the new one replaces it). */
    public void accessRenewed(String bundleId, String encryptedAccessToken, Instant expiresAt, String encryptedRefreshToken) {
        tx.inTransaction(c -> Sql.update(c, "update bundle set access_token = ?, access_expires_at = ?,"
                + " refresh_token = coalesce(?, refresh_token), updated_at = ? where bundle_id = ? and state = 'AUTHORIZED'",
                encryptedAccessToken, Timestamp.from(expiresAt), Sql.nullable(encryptedRefreshToken), now(), bundleId));
    }

    /** The bundle's access expired and cannot be renewed: its payments waiting for submission end FAILED. */
    public void accessLost(String bundleId, String reason) {
        tx.inTransaction(c -> {
            for (PaymentOrderRow o : orders(c, "bundle_id = ? and state = 'AUTHORIZED'", bundleId)) {
                changeOrder(c, o, OrderState.AUTHORIZED, OrderState.FAILED, o.bankStatus(), reason, null);
            }
            return null;
        });
    }

    /** Moves an authorised bundle on once none of its payments waits for submission. */
    public void bundleSubmittedIfDone(String bundleId) {
        tx.inTransaction(c -> Sql.update(c, "update bundle set state = 'SUBMITTED', access_token = null, refresh_token = null,"
                + " updated_at = ?"
                + " where bundle_id = ? and state = 'AUTHORIZED' and not exists (select 1 from payment_order"
                + " where bundle_id = ? and state = 'AUTHORIZED')", now(), bundleId, bundleId));
    }

    // ---- track -------------------------------------------------------------------------------

    /**
     * A status read: an event only when the bank's status changed; {@code end} set when it is final.
     */
    public void statusRead(String orderId, String bankStatus, OrderState end, String reason, Instant nextCheck) {
        tx.inTransaction(c -> {
            PaymentOrderRow o = lockedOrder(c, orderId);
            if (o.state() != OrderState.SUBMITTED) {
                return null;
            }
            if (end != null) {
                changeOrder(c, o, OrderState.SUBMITTED, end, bankStatus, reason, "next_check_at = null");
                Sql.update(c, "update bundle set state = 'DONE', updated_at = ? where bundle_id = ? and state = 'SUBMITTED'"
                        + " and not exists (select 1 from payment_order where bundle_id = ? and state in"
                        + " ('RECEIVED','BUNDLED','CREATED','AWAITING_SCA','AUTHORIZED','SUBMITTED'))",
                        now(), o.bundleId(), o.bundleId());
            } else if (!bankStatus.equals(o.bankStatus())) {
                changeOrder(c, o, OrderState.SUBMITTED, OrderState.SUBMITTED, bankStatus, reason,
                        "next_check_at = ?, check_count = check_count + 1", Timestamp.from(nextCheck));
            } else if (unreadableSince(c, orderId)) {
                // readable again: said once, the reason cleared
                changeOrder(c, o, OrderState.SUBMITTED, OrderState.SUBMITTED, bankStatus, null,
                        "next_check_at = ?, check_count = check_count + 1", Timestamp.from(nextCheck));
            } else {
                reschedule(c, orderId, nextCheck);
            }
            return null;
        });
    }

    /** The reason of a submitted payment whose status reads keep failing, until a read succeeds. */
    public static final String STATUS_UNREADABLE = "status cannot be read: ";

    /**
     * A status read the bank refused or answered untrusted: read again later at the growing
     * interval. The first failure of a run is reported once, as an event in the same state with the
     * error as reason, so the operator learns of it without an event per attempt.
     */
    public void statusUnreadable(String orderId, String error, Instant nextCheck) {
        tx.inTransaction(c -> {
            PaymentOrderRow o = lockedOrder(c, orderId);
            if (o.state() != OrderState.SUBMITTED) {
                return null;
            }
            if (unreadableSince(c, orderId)) {
                reschedule(c, orderId, nextCheck);
            } else {
                changeOrder(c, o, OrderState.SUBMITTED, OrderState.SUBMITTED, o.bankStatus(), STATUS_UNREADABLE + error
                        + "; read again at a growing interval", "next_check_at = ?, check_count = check_count + 1",
                        Timestamp.from(nextCheck));
            }
            return null;
        });
    }

    /** A status read that found the bank unavailable: read again later, nothing else changes. */
    public void readAgainAt(String orderId, Instant nextCheck) {
        tx.inTransaction(c -> {
            reschedule(c, orderId, nextCheck);
            return null;
        });
    }

    private static boolean unreadableSince(Connection c, String orderId) throws SQLException {
        return Sql.strings(c, "select reason from payment_order where order_id = ? and reason like ?", orderId,
                STATUS_UNREADABLE + "%").size() == 1;
    }

    private void reschedule(Connection c, String orderId, Instant nextCheck) throws SQLException {
        Sql.update(c, "update payment_order set next_check_at = ?, check_count = check_count + 1, updated_at = ?"
                + " where order_id = ?", Timestamp.from(nextCheck), now(), orderId);
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private void changeOrder(Connection c, PaymentOrderRow o, OrderState from, OrderState to, String bankStatus,
                             String reason, String extraSet, Object... extra) throws SQLException {
        if (o.state() != from) {
            return; // already moved on: a repeated step changes nothing
        }
        List<Object> params = new ArrayList<>(List.of(to.name(), Sql.nullable(bankStatus), Sql.nullable(reason), now()));
        params.addAll(List.of(extra));
        params.add(o.orderId());
        params.add(from.name());
        Sql.update(c, "update payment_order set state = ?, bank_status = ?, reason = ?, updated_at = ?"
                + (extraSet == null ? "" : ", " + extraSet) + " where order_id = ? and state = ?", params.toArray());
        PaymentOrderRow after = orders(c, "order_id = ?", o.orderId()).get(0);
        outbox.record(c, new StatusEvent(after.orderId(), after.paymentId(), after.authorizationId(), to,
                bankStatus, reason, clock.instant()));
    }

    private PaymentOrderRow lockedOrder(Connection c, String orderId) throws SQLException {
        List<PaymentOrderRow> rows = orders(c, "order_id = ? for update", orderId);
        if (rows.isEmpty()) {
            throw new IllegalStateException("No order " + orderId);
        }
        return rows.get(0);
    }

    private static Optional<BundleRow> bundleWhere(Connection c, String where, Object param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + BundleRow.COLUMNS + " from bundle where " + where)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(BundleRow.read(rs)) : Optional.empty();
            }
        }
    }

    private static List<PaymentOrderRow> orders(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + PaymentOrderRow.COLUMNS + " from payment_order where " + where)) {
            Sql.bind(ps, params);
            List<PaymentOrderRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(PaymentOrderRow.read(rs));
                }
            }
            return rows;
        }
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }
}
