package org.pisbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.pisbridge.orders.OrderState;

/** The exemption flow's view of the store: one order, no bundle, paid without a new SCA. */
public final class ExemptionStore {
    private final OrderRecords records;

    public ExemptionStore(OrderRecords records) {
        this.records = records;
    }

    /** Orders of the exemption flow (no bundle) in {@code state} whose next step is due, oldest first. */
    public List<String> due(OrderState state) {
        return records.tx.inTransaction(c -> Sql.strings(c, "select order_id from " + OrderRecords.ORDERS + " where bundle_id is null"
                + " and state = ? and (next_check_at is null or next_check_at <= ?) order by created_at, order_id",
                state.name(), records.now()));
    }

    /** The exemption payment was created with the user's token; its own authorization is next. */
    public void created(String orderId, String paymentId, String authorizationId, String bankStatus) {
        records.tx.inTransaction(c -> {
            records.changeOrderPayment(c, OrderRecords.lockedOrder(c, orderId), OrderState.EXEMPTION, OrderState.CREATED, bankStatus,
                    null, paymentId, authorizationId, "next_check_at = null, check_count = 0");
            return null;
        });
    }

    /** The bank accepted the exemption assertion: keep its (encrypted) token for the submission. */
    public void authorized(String orderId, String encryptedAccessToken) {
        records.tx.inTransaction(c -> {
            PaymentOrderRow o = OrderRecords.lockedOrder(c, orderId);
            records.changeOrder(c, o, OrderState.CREATED, OrderState.AUTHORIZED, o.bankStatus(), null,
                    "access_token = ?, next_check_at = null, check_count = 0", encryptedAccessToken);
            return null;
        });
    }

    /** The bank could not be reached or its answer is unknown: the step is tried again at {@code nextAttempt}. */
    public void deferred(String orderId, String reason, Instant nextAttempt) {
        records.tx.inTransaction(c -> {
            PaymentOrderRow o = OrderRecords.lockedOrder(c, orderId);
            if (o.bundleId() == null && !o.state().isFinal()) {
                records.deferred(c, o, reason, nextAttempt);
            }
            return null;
        });
    }

    /** What the ERP told about the customer behind an order; each field null when not given. */
    public record Customer(String ipAddress, String userAgent, Instant lastLoggedAt) {
    }

    public Customer customerOf(String orderId) {
        return records.tx.inTransaction(c -> {
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
}
