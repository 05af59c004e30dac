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
    public record Grant(String payerIban, String encryptedRefreshToken, Instant refreshExpiresAt, Instant scaAt) {
    }

    public Optional<Grant> of(String payerIban) {
        return tx.inTransaction(c -> grants(c, "payer_iban = ?", payerIban).stream().findFirst());
    }

    /**
     * The bank rotated the refresh token: keep the new one. Conditional on the one used, so a grant
     * a new SCA replaced meanwhile is not overwritten. Expiry and counters stay with the SCA.
     */
    public void rotated(String payerIban, String usedEncrypted, String newEncrypted, Instant now) {
        tx.inTransaction(c -> Sql.update(c, "update payer_grant set refresh_token = ?, updated_at = ?"
                + " where payer_iban = ? and refresh_token = ?", newEncrypted, Timestamp.from(now), payerIban, usedEncrypted));
    }

    /** The bank refused the refresh token (expired or revoked): it is of no use any more. */
    public void refused(String payerIban, String usedEncrypted) {
        tx.inTransaction(c -> Sql.update(c, "delete from payer_grant where payer_iban = ? and refresh_token = ?",
                payerIban, usedEncrypted));
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
        try (PreparedStatement ps = c.prepareStatement("select payer_iban, refresh_token, refresh_expires_at, sca_at"
                + " from payer_grant where " + where)) {
            Sql.bind(ps, params);
            List<Grant> grants = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grants.add(new Grant(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant()));
                }
            }
            return grants;
        }
    }

    public void replaceAfterSca(String payerIban, String encryptedRefreshToken, Instant refreshExpiresAt, Instant scaAt) {
        tx.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("delete from payer_grant where payer_iban = ?")) {
                del.setString(1, payerIban);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("insert into payer_grant (payer_iban, refresh_token,"
                    + " refresh_expires_at, sca_at, exemption_count, exemption_total, updated_at) values (?, ?, ?, ?, 0, 0, ?)")) {
                ins.setString(1, payerIban);
                ins.setString(2, encryptedRefreshToken);
                ins.setTimestamp(3, Timestamp.from(refreshExpiresAt));
                ins.setTimestamp(4, Timestamp.from(scaAt));
                ins.setTimestamp(5, Timestamp.from(scaAt));
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
