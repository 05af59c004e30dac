package org.pisbridge.store;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The payer's grant from its latest SCA: the (encrypted) refresh token the exemption flow
 * reuses. A new SCA replaces it and resets the exemption counters.
 */
public final class PayerGrants {
    private final Transactions tx;

    public PayerGrants(Transactions tx) {
        this.tx = tx;
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

    /** The payer's encrypted refresh token, if a grant is kept. */
    public java.util.Optional<String> refreshToken(String payerIban) {
        return tx.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("select refresh_token from payer_grant where payer_iban = ?")) {
                q.setString(1, payerIban);
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.<String>empty();
                }
            }
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
