package org.pisbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The payer's grant from its latest SCA: the (encrypted) refresh token the exemption flow
 * reuses. A new SCA replaces it and resets the exemption counters.
 */
public final class PayerGrants {
    private final Transactions tx;

    public PayerGrants(Transactions tx) {
        this.tx = tx;
    }

    /** A payer's stored grant; the refresh token still encrypted. */
    public record Grant(String payerIban, String encryptedRefreshToken, Instant refreshExpiresAt, Instant scaAt,
                        String authorizationId) {
    }

    public Optional<Grant> of(String payerIban) {
        return tx.inTransaction(c -> grants(c, "payer_iban = ?", payerIban).stream().findFirst());
    }

    /** A refresh-token grant made with the token handed to it (decrypted by the caller); its answer's new token, if any. */
    public interface RefreshCall {
        /** @return the rotated refresh token, encrypted; null when the bank kept the old one */
        String refresh(String encryptedRefreshToken);
    }

    /** The refresh token is spent or revoked at the bank (its invalid_grant): whoever holds it needs a new SCA. */
    public static final class RefreshTokenGone extends RuntimeException {
        public RefreshTokenGone(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One refresh-token rotation at a time per payer, across instances: the payer's grant row (and
     * the bundle's, when renewing a bundle's access) is locked for the length of the call, the
     * current token is read under that lock, and the rotated token replaces it wherever that token
     * lived — the payer's grant and every bundle of the same SCA — in the same transaction. The
     * grant is used when it comes from {@code authorizationId}'s SCA (or when no authorization is
     * named: the exemption flow); otherwise the bundle's own token.
     *
     * @param bundleId the bundle whose access is renewed, or null for the payer's grant alone
     * @return false when there is no refresh token to use
     * @throws RefreshTokenGone from {@code call}, after the dead token was removed from the store
     */
    public boolean rotate(String payerIban, String bundleId, RefreshCall call, Instant now) {
        return tx.inTransaction(c -> {
            List<Grant> grant = grants(c, "payer_iban = ? for update", payerIban);
            String bundleAuthorization = null;
            String bundleToken = null;
            if (bundleId != null) {
                try (PreparedStatement ps = c.prepareStatement("select authorization_id, refresh_token from bundle"
                        + " where bundle_id = ? for update")) {
                    ps.setString(1, bundleId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            bundleAuthorization = rs.getString(1);
                            bundleToken = rs.getString(2);
                        }
                    }
                }
            }
            boolean useGrant = !grant.isEmpty() && (bundleId == null
                    || bundleAuthorization != null && bundleAuthorization.equals(grant.get(0).authorizationId()));
            String used = useGrant ? grant.get(0).encryptedRefreshToken() : bundleToken;
            if (used == null) {
                return false;
            }
            String rotated;
            try {
                rotated = call.refresh(used);
            } catch (RefreshTokenGone gone) {
                // committed with the lock's transaction: nobody tries the dead token again
                Sql.update(c, "delete from payer_grant where payer_iban = ? and refresh_token = ?", payerIban, used);
                Sql.update(c, "update bundle set refresh_token = null where refresh_token = ?", used);
                c.commit();
                throw gone;
            }
            if (rotated != null) {
                Sql.update(c, "update payer_grant set refresh_token = ?, updated_at = ? where payer_iban = ? and refresh_token = ?",
                        rotated, Timestamp.from(now), payerIban, used);
                Sql.update(c, "update bundle set refresh_token = ?, updated_at = ? where refresh_token = ?",
                        rotated, Timestamp.from(now), used);
            }
            return true;
        });
    }

    /** Grants whose refresh token ends before {@code limit} and that were not warned about yet. */
    public List<Grant> expiringUnwarned(Instant limit) {
        return tx.inTransaction(c -> grants(c, "refresh_expires_at < ? and expiry_warned_at is null order by refresh_expires_at",
                Timestamp.from(limit)));
    }

    public void warned(String payerIban, Instant scaAt, Instant now) {
        tx.inTransaction(c -> Sql.update(c, "update payer_grant set expiry_warned_at = ? where payer_iban = ? and sca_at = ?",
                Timestamp.from(now), payerIban, Timestamp.from(scaAt)));
    }

    private static List<Grant> grants(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select payer_iban, refresh_token, refresh_expires_at, sca_at,"
                + " authorization_id from payer_grant where " + where)) {
            Sql.bind(ps, params);
            List<Grant> grants = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grants.add(new Grant(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getString(5)));
                }
            }
            return grants;
        }
    }

    /**
     * The payer's grant from a new SCA on {@code authorizationId}; counters start again. Updated in
     * place, inserted when the payer has none: approvals of one payer at the same moment (several
     * bundles) then only wait for each other's row lock, the last stored winning. Two first grants
     * inserted at once collide on the key: the one that lost updates the other's row.
     */
    public void replaceAfterSca(String payerIban, String authorizationId, String encryptedRefreshToken, Instant refreshExpiresAt,
                                Instant scaAt) {
        try {
            replace(payerIban, authorizationId, encryptedRefreshToken, refreshExpiresAt, scaAt);
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException cause && "23505".equals(cause.getSQLState()))) {
                throw e;
            }
            replace(payerIban, authorizationId, encryptedRefreshToken, refreshExpiresAt, scaAt);
        }
    }

    private void replace(String payerIban, String authorizationId, String encryptedRefreshToken, Instant refreshExpiresAt,
                         Instant scaAt) {
        tx.inTransaction(c -> {
            try (PreparedStatement upd = c.prepareStatement("update payer_grant set refresh_token = ?, refresh_expires_at = ?,"
                    + " sca_at = ?, exemption_count = 0, exemption_total = 0, updated_at = ?, authorization_id = ?,"
                    + " expiry_warned_at = null where payer_iban = ?")) {
                upd.setString(1, encryptedRefreshToken);
                upd.setTimestamp(2, Timestamp.from(refreshExpiresAt));
                upd.setTimestamp(3, Timestamp.from(scaAt));
                upd.setTimestamp(4, Timestamp.from(scaAt));
                upd.setString(5, authorizationId);
                upd.setString(6, payerIban);
                if (upd.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement ins = c.prepareStatement("insert into payer_grant (payer_iban, refresh_token,"
                    + " refresh_expires_at, sca_at, exemption_count, exemption_total, updated_at, authorization_id)"
                    + " values (?, ?, ?, ?, 0, 0, ?, ?)")) {
                ins.setString(1, payerIban);
                ins.setString(2, encryptedRefreshToken);
                ins.setTimestamp(3, Timestamp.from(refreshExpiresAt));
                ins.setTimestamp(4, Timestamp.from(scaAt));
                ins.setTimestamp(5, Timestamp.from(scaAt));
                ins.setString(6, authorizationId);
                ins.executeUpdate();
            }
            return null;
        });
    }

    /** Forgets the payer's grant: the next payment of the payer needs a new SCA. */
    public void remove(String payerIban) {
        tx.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("delete from payer_grant where payer_iban = ?")) {
                del.setString(1, payerIban);
                del.executeUpdate();
            }
            return null;
        });
    }
}
