package org.pisbridge.store;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pisbridge.orders.BundleState;
import org.pisbridge.orders.OrderState;

/**
 * Steps 4 and 5's view of the store: a bundle whose payments are created waits for one person's
 * SCA, is authorised by it, has its SCA checked against the bank's view when in doubt, or is
 * withdrawn (its authorization revoked at the bank) and ends without it.
 */
public final class ScaStore {
    private final OrderRecords records;

    public ScaStore(OrderRecords records) {
        this.records = records;
    }

    public Optional<BundleRow> bundle(String bundleId) {
        return records.bundle(bundleId);
    }

    /** Bundles still waiting for SCA after their deadline are withdrawn, to end EXPIRED. */
    public int expireOverdue(String reason) {
        return records.tx.inTransaction(c -> Sql.update(c, "update bundle set withdraw_as = 'EXPIRED', withdraw_reason = ?,"
                + " updated_at = ? where state = 'AWAITING_SCA' and withdraw_as is null and sca_deadline < ?",
                reason, records.now(), records.now()));
    }

    /**
     * All payments of a closed bundle are settled at the bank (created, or refused by it): record
     * the SCA's deadline and the "SCA required" event with the runtime's {@code link}, in one
     * transaction. While a creation is still to be tried again the bundle waits; a bundle none of whose payments the bank created ends FAILED. Returns the event, or
     * null when the bundle does not (or not yet, or no longer) wait for SCA.
     */
    public Map<String, Object> awaitSca(String bundleId, Instant deadline, String link) {
        return records.tx.inTransaction(c -> {
            if (!Sql.strings(c, "select order_seq from order_progress where bundle_id = ? and state = 'BUNDLED'"
                    + " fetch first 1 rows only", bundleId).isEmpty()) {
                return null;
            }
            List<PaymentOrderRow> created = OrderRecords.orders(c, "bundle_id = ? and state = 'CREATED' order by created_at, order_id",
                    bundleId);
            if (created.isEmpty()) {
                Sql.update(c, "update bundle set state = 'FAILED', reason = ?, updated_at = ? where bundle_id = ? and state = 'CLOSED'",
                        "the bank refused every payment of the bundle", records.now(), bundleId);
                return null;
            }
            int changed = Sql.update(c, "update bundle set state = 'AWAITING_SCA', sca_deadline = ?, updated_at = ?"
                    + " where bundle_id = ? and state = 'CLOSED'", Timestamp.from(deadline), records.now(), bundleId);
            if (changed == 0) {
                return null;
            }
            for (PaymentOrderRow o : created) {
                records.changeOrder(c, o, OrderState.CREATED, OrderState.AWAITING_SCA, o.bankStatus(), null, null);
            }
            BundleRow bundle = OrderRecords.bundleWhere(c, "bundle_id = ?", bundleId).orElseThrow();
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("bundleId", bundleId);
            event.put("authorizationId", bundle.authorizationId());
            event.put("count", created.size());
            event.put("totalEUR", created.stream().map(PaymentOrderRow::amountEur).reduce(BigDecimal.ZERO, BigDecimal::add)
                    .setScale(2).toPlainString());
            event.put("payerIban", bundle.payerIban());
            event.put("link", link);
            event.put("deadline", deadline.toString());
            records.outbox.recordScaRequired(c, bundleId, event, records.clock.instant());
            return event;
        });
    }

    /**
     * The SCA succeeded: keep the user's (encrypted) access token, and the refresh token that can
     * renew it (null when the bank gave none), end the attempt AUTHORIZED and move every payment
     * on. False when the bundle no longer waited (expired, cancelled or ended meanwhile): nothing
     * was stored.
     */
    public boolean authorized(String bundleId, String attemptState, String encryptedAccessToken, Instant expiresAt,
                              String encryptedRefreshToken) {
        return records.tx.inTransaction(c -> {
            int changed = Sql.update(c, "update bundle set state = 'AUTHORIZED', access_token = ?, access_expires_at = ?,"
                    + " refresh_token = ?, exchange_answer = null, exchange_answered_at = null, authorization_check = null, updated_at = ?"
                    + " where bundle_id = ? and state = 'AWAITING_SCA' and withdraw_as is null",
                    encryptedAccessToken, Timestamp.from(expiresAt), Sql.nullable(encryptedRefreshToken), records.now(), bundleId);
            if (changed == 1) {
                Sql.update(c, "update sca_attempt set outcome = ?, ended_at = ? where sca_state = ?", ScaAttempt.AUTHORIZED,
                        records.now(), attemptState);
                for (PaymentOrderRow o : OrderRecords.orders(c, "bundle_id = ? and state = 'AWAITING_SCA'", bundleId)) {
                    records.changeOrder(c, o, OrderState.AWAITING_SCA, OrderState.AUTHORIZED, o.bankStatus(), null, null);
                }
            }
            return changed == 1;
        });
    }

    /** A waiting bundle whose SCA is in doubt, and why: its authorization is to be read at the bank. */
    public record Check(String bundleId, String reason, boolean exchangeClaimed) {
    }

    /**
     * Bundles whose authorization is to be read, except those whose code exchange is under way: its
     * attempt still completing and claimed since {@code exchangeClaimedSince} (a claim older than
     * that is lost).
     */
    public List<Check> checksDue(Instant exchangeClaimedSince) {
        return records.tx.inTransaction(c -> Sql.rows(c, "select b.bundle_id, b.authorization_check, b.code_exchange_at"
                + " from bundle b where b.state = 'AWAITING_SCA' and b.withdraw_as is null and b.authorization_check is not null"
                + " and not (b.code_exchange_at is not null and b.code_exchange_at >= ? and exists (select 1 from sca_attempt a"
                + " where a.sca_state = b.exchange_attempt and a.outcome = 'COMPLETING'))",
                rs -> new Check(rs.getString(1), rs.getString(2), rs.getTimestamp(3) != null), Timestamp.from(exchangeClaimedSince)));
    }

    /**
     * The bank still holds the authorization unapproved: the bundle waits for a new attempt; a
     * claimed code exchange that the bank never took is released. Only the check that was read is
     * settled: a callback that came meanwhile keeps its claim.
     */
    public void stillWaiting(Check check) {
        records.tx.inTransaction(c -> Sql.update(c, "update bundle set authorization_check = null"
                + (check.exchangeClaimed() ? ", code_exchange_at = null, exchange_attempt = null, exchange_answer = null, exchange_answered_at = null" : "")
                + ", updated_at = ? where bundle_id = ? and state = 'AWAITING_SCA' and authorization_check = ?",
                records.now(), check.bundleId(), check.reason()));
    }

    /** The bank's answer settled nothing new: the check is done, the bundle waits as it was. */
    public void checked(Check check) {
        records.tx.inTransaction(c -> Sql.update(c, "update bundle set authorization_check = null, updated_at = ?"
                + " where bundle_id = ? and state = 'AWAITING_SCA' and authorization_check = ?",
                records.now(), check.bundleId(), check.reason()));
    }

    /**
     * Decides a waiting bundle's end without payment: its authorization is revoked at the bank,
     * then it ends as {@code end} (EXPIRED, CANCELLED, SCA_REJECTED, or REPLACED: its orders start
     * again). From now on no callback completes it. False when it no longer waited or was already
     * being withdrawn.
     */
    public boolean withdraw(String bundleId, BundleState end, String reason) {
        return records.tx.inTransaction(c -> Sql.update(c, "update bundle set withdraw_as = ?, withdraw_reason = ?,"
                + " authorization_check = null, updated_at = ? where bundle_id = ? and state = 'AWAITING_SCA' and withdraw_as is null",
                end.name(), OrderRecords.fitting(reason), records.now(), bundleId) == 1);
    }

    /** A bundle whose end is decided, with why, its authorization still to be revoked at the bank. */
    public record Withdrawal(String bundleId, BundleState end, String reason) {
    }

    public List<Withdrawal> withdrawals() {
        return records.tx.inTransaction(c -> Sql.rows(c, WITHDRAWALS, ScaStore::withdrawal));
    }

    public Optional<Withdrawal> withdrawal(String bundleId) {
        return records.tx.inTransaction(c -> Sql.rows(c, WITHDRAWALS + " and bundle_id = ?", ScaStore::withdrawal, bundleId))
                .stream().findFirst();
    }

    private static final String WITHDRAWALS = "select bundle_id, withdraw_as, withdraw_reason from bundle"
            + " where state = 'AWAITING_SCA' and withdraw_as is not null";

    private static Withdrawal withdrawal(ResultSet rs) throws SQLException {
        return new Withdrawal(rs.getString(1), BundleState.valueOf(rs.getString(2)), rs.getString(3));
    }

    /** The SCA did not happen (refused, expired, cancelled): the bundle and its waiting orders end. */
    public boolean ended(String bundleId, BundleState end, OrderState orderEnd, String reason) {
        return records.tx.inTransaction(c -> {
            String kept = OrderRecords.fitting(reason);
            int changed = Sql.update(c, "update bundle set state = ?, reason = ?, updated_at = ? where bundle_id = ?"
                    + " and state = 'AWAITING_SCA'", end.name(), kept, records.now(), bundleId);
            if (changed == 1) {
                for (PaymentOrderRow o : OrderRecords.orders(c, "bundle_id = ? and state = 'AWAITING_SCA'", bundleId)) {
                    records.changeOrder(c, o, OrderState.AWAITING_SCA, orderEnd, o.bankStatus(), kept, null);
                }
            }
            return changed == 1;
        });
    }
}
