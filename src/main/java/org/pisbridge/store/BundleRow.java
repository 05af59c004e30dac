package org.pisbridge.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.pisbridge.orders.BundleState;

/**
 * One row of {@code bundle}, as the bank stages need it. {@code withdrawAs} is set once the
 * bundle's end without payment is decided (its authorization being revoked at the bank).
 */
public record BundleRow(String bundleId, String payerIban, BundleState state, String authorizationId,
                        Instant scaDeadline, String accessToken, Instant accessExpiresAt, String withdrawAs) {

    static final String COLUMNS = "bundle_id, payer_iban, state, authorization_id, sca_deadline, access_token,"
            + " access_expires_at, withdraw_as";

    /** Waiting for SCA, and not being withdrawn: an approval may still complete it. */
    public boolean awaitsSca() {
        return state == BundleState.AWAITING_SCA && withdrawAs == null;
    }

    static BundleRow read(ResultSet rs) throws SQLException {
        return new BundleRow(rs.getString("bundle_id"), rs.getString("payer_iban"),
                BundleState.valueOf(rs.getString("state")), rs.getString("authorization_id"),
                instant(rs.getTimestamp("sca_deadline")), rs.getString("access_token"),
                instant(rs.getTimestamp("access_expires_at")), rs.getString("withdraw_as"));
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
