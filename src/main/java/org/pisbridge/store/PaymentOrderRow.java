package org.pisbridge.store;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.pisbridge.orders.OrderState;

/**
 * An order as the bank stages need it: as received ({@code payment_order}) and where it is
 * ({@code order_progress}, joined by {@code orderSeq}, the number it was given in arrival order).
 */
public record PaymentOrderRow(long orderSeq, String orderId, String bundleId, String payerIban, String payeeIban, String payeeName,
                              BigDecimal amountEur, String message, String reference, OrderState state,
                              String idempotencyKey, String paymentId, String authorizationId, String submissionId,
                              String bankStatus, int checkCount, String reason, String submissionState) {

    static final String COLUMNS = "p.order_seq, order_id, bundle_id, payer_iban, payee_iban, payee_name, amount_eur, message,"
            + " reference, state, idempotency_key, payment_id, authorization_id, submission_id, bank_status, check_count, reason,"
            + " submission_state";

    static PaymentOrderRow read(ResultSet rs) throws SQLException {
        return new PaymentOrderRow(rs.getLong("order_seq"), rs.getString("order_id"), rs.getString("bundle_id"), rs.getString("payer_iban"),
                rs.getString("payee_iban"), rs.getString("payee_name"), rs.getBigDecimal("amount_eur"),
                rs.getString("message"), rs.getString("reference"), OrderState.valueOf(rs.getString("state")),
                rs.getString("idempotency_key"), rs.getString("payment_id"), rs.getString("authorization_id"),
                rs.getString("submission_id"), rs.getString("bank_status"), rs.getInt("check_count"),
                rs.getString("reason"), rs.getString("submission_state"));
    }
}
