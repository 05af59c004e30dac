package org.pisbridge.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.pisbridge.orders.PaymentOrder;

/**
 * OP's exemption conditions, checked at intake as a pre-check that spares pointless bank calls
 * (the bank decides in the end): the payer has a live grant from an earlier SCA, and either the
 * amount is below 30 EUR with fewer than 5 exemption payments and less than 100 EUR (this one
 * included) since that SCA, or payer and payee are both the customer's own accounts. A counted
 * order reserves its share of the counters by one conditional update in the intake's transaction,
 * so concurrent orders of one payer never pass the limits together.
 */
public final class ExemptionRules {
    static final BigDecimal SINGLE_LIMIT = new BigDecimal("30.00");
    static final BigDecimal CUMULATIVE_LIMIT = new BigDecimal("100.00");
    static final int COUNT_LIMIT = 5;

    private final boolean enabled;
    private final Set<String> ownAccounts;

    public ExemptionRules(boolean enabled, Set<String> ownAccounts) {
        this.enabled = enabled;
        this.ownAccounts = Set.copyOf(ownAccounts);
    }

    /** An order taken the exemption way; {@code countedAgainst} is the sca_at of the grant it was counted on, null if not counted. */
    record Reservation(Instant countedAgainst) {
    }

    /** Reserves the order's place in the exemption flow, or returns empty: it goes the default way. */
    Optional<Reservation> reserve(Connection c, PaymentOrder o, Instant now) throws SQLException {
        if (!enabled || o.scaAlways()) {
            return Optional.empty();
        }
        if (ownAccounts.contains(o.payerIban()) && ownAccounts.contains(o.payeeIban())) {
            return liveGrantScaAt(c, o.payerIban(), now).map(at -> new Reservation(null));
        }
        if (o.amountEur().compareTo(SINGLE_LIMIT) >= 0) {
            return Optional.empty();
        }
        int counted = Sql.update(c, "update payer_grant set exemption_count = exemption_count + 1,"
                + " exemption_total = exemption_total + ?, updated_at = ? where payer_iban = ? and refresh_expires_at > ?"
                + " and exemption_count < ? and exemption_total + ? < ?",
                o.amountEur(), Timestamp.from(now), o.payerIban(), Timestamp.from(now), COUNT_LIMIT, o.amountEur(),
                CUMULATIVE_LIMIT);
        return counted == 1 ? liveGrantScaAt(c, o.payerIban(), now).map(Reservation::new) : Optional.empty();
    }

    /** Gives back what an order reserved, unless a newer SCA has reset the counters since. */
    void release(Connection c, String payerIban, BigDecimal amount, Instant countedAgainst, Instant now) throws SQLException {
        Sql.update(c, "update payer_grant set exemption_count = exemption_count - 1, exemption_total = exemption_total - ?,"
                + " updated_at = ? where payer_iban = ? and sca_at = ?", amount, Timestamp.from(now), payerIban,
                Timestamp.from(countedAgainst));
    }

    private static Optional<Instant> liveGrantScaAt(Connection c, String payerIban, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select sca_at from payer_grant where payer_iban = ? and refresh_expires_at > ?")) {
            ps.setString(1, payerIban);
            ps.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }
}
