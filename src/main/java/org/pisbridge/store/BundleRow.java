package org.pisbridge.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.pisbridge.orders.BundleState;

/** One row of {@code bundle}, as the bank stages need it. */
public record BundleRow(String bundleId, String payerIban, BundleState state, String authorizationId,
                        String scaState, String scaNonce, String browserBinding, Instant scaDeadline,
                        String accessToken, Instant accessExpiresAt) {

    static final String COLUMNS = "bundle_id, payer_iban, state, authorization_id, sca_state, sca_nonce,"
            + " browser_binding, sca_deadline, access_token, access_expires_at";

    static BundleRow read(ResultSet rs) throws SQLException {
        return new BundleRow(rs.getString("bundle_id"), rs.getString("payer_iban"),
                BundleState.valueOf(rs.getString("state")), rs.getString("authorization_id"),
                rs.getString("sca_state"), rs.getString("sca_nonce"), rs.getString("browser_binding"),
                instant(rs.getTimestamp("sca_deadline")), rs.getString("access_token"),
                instant(rs.getTimestamp("access_expires_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
