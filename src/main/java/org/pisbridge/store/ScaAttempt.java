package org.pisbridge.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * One opening of a bundle's SCA link: the state and nonce of its request object and the hash of
 * the cookie that binds it to the browser that opened it. {@code outcome} is null while the
 * attempt is open, then COMPLETING, AUTHORIZED or ENDED.
 */
public record ScaAttempt(String state, String bundleId, String nonce, String browserBinding, Instant expiresAt,
                         String outcome, String reason) {
    public static final String COMPLETING = "COMPLETING";
    public static final String AUTHORIZED = "AUTHORIZED";
    public static final String ENDED = "ENDED";

    static final String COLUMNS = "sca_state, bundle_id, nonce, browser_binding, expires_at, outcome, reason";

    public boolean open() {
        return outcome == null;
    }

    static ScaAttempt read(ResultSet rs) throws SQLException {
        return new ScaAttempt(rs.getString("sca_state"), rs.getString("bundle_id"), rs.getString("nonce"),
                rs.getString("browser_binding"), BundleRow.instant(rs.getTimestamp("expires_at")),
                rs.getString("outcome"), rs.getString("reason"));
    }
}
