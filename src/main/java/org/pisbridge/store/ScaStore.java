package org.pisbridge.store;

import java.math.BigDecimal;
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
 * SCA, is authorised by it, or ends without it (refused, expired).
 */
public final class ScaStore {
    private final OrderRecords records;

    public ScaStore(OrderRecords records) {
        this.records = records;
    }

    public Optional<BundleRow> bundle(String bundleId) {
        return records.bundle(bundleId);
    }

    public Optional<BundleRow> bundleByScaState(String scaState) {
        return records.tx.inTransaction(c -> OrderRecords.bundleWhere(c, "sca_state = ?", scaState));
    }

    /** Bundles still waiting for SCA after their deadline. */
    public List<String> overdue() {
        return records.tx.inTransaction(c -> Sql.strings(c, "select bundle_id from bundle where state = 'AWAITING_SCA'"
                + " and sca_deadline < ?", records.now()));
    }

    /**
     * All payments of a closed bundle are settled at the bank (created, or refused by it): record
     * the request object's state and nonce, and the "SCA required" event with the runtime's
     * {@code link}, in one transaction. While a creation is still to be tried again the bundle
     * waits; a bundle none of whose payments the bank created ends FAILED. Returns the event, or
     * null when the bundle does not (or not yet, or no longer) wait for SCA.
     */
    public Map<String, Object> awaitSca(String bundleId, String scaState, String nonce, Instant deadline, String link) {
        return records.tx.inTransaction(c -> {
            if (!Sql.strings(c, "select order_id from payment_order where bundle_id = ? and state = 'BUNDLED'"
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
            int changed = Sql.update(c, "update bundle set state = 'AWAITING_SCA', sca_state = ?, sca_nonce = ?,"
                    + " sca_deadline = ?, updated_at = ? where bundle_id = ? and state = 'CLOSED'",
                    scaState, nonce, Timestamp.from(deadline), records.now(), bundleId);
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

    /** Ties the bundle's SCA to the browser that opened the SCA link (hash of its cookie). */
    public void bindBrowser(String bundleId, String bindingHash) {
        records.tx.inTransaction(c -> Sql.update(c, "update bundle set browser_binding = ?, updated_at = ? where bundle_id = ?"
                + " and state = 'AWAITING_SCA'", bindingHash, records.now(), bundleId));
    }

    /**
     * The SCA succeeded: keep the user's (encrypted) access token, and the refresh token that can
     * renew it (null when the bank gave none), and move every payment on. False when the bundle no
     * longer waited (expired or ended meanwhile): nothing was stored.
     */
    public boolean authorized(String bundleId, String encryptedAccessToken, Instant expiresAt, String encryptedRefreshToken) {
        return records.tx.inTransaction(c -> {
            int changed = Sql.update(c, "update bundle set state = 'AUTHORIZED', access_token = ?, access_expires_at = ?,"
                    + " refresh_token = ?, updated_at = ? where bundle_id = ? and state = 'AWAITING_SCA'",
                    encryptedAccessToken, Timestamp.from(expiresAt), Sql.nullable(encryptedRefreshToken), records.now(), bundleId);
            if (changed == 1) {
                for (PaymentOrderRow o : OrderRecords.orders(c, "bundle_id = ? and state = 'AWAITING_SCA'", bundleId)) {
                    records.changeOrder(c, o, OrderState.AWAITING_SCA, OrderState.AUTHORIZED, o.bankStatus(), null, null);
                }
            }
            return changed == 1;
        });
    }

    /**
     * Claims the bundle's code exchange for one callback, before the code is sent: false when the
     * bundle no longer waits or another callback claimed it first.
     */
    public boolean claimCodeExchange(String bundleId) {
        return records.tx.inTransaction(c -> Sql.update(c, "update bundle set code_exchange_at = ?, updated_at = ? where bundle_id = ?"
                + " and state = 'AWAITING_SCA' and code_exchange_at is null", records.now(), records.now(), bundleId) == 1);
    }

    /** The code exchange ended with the bank's word that it did not use the code (refused, or not processed): a new callback may try. */
    public void releaseCodeExchange(String bundleId) {
        records.tx.inTransaction(c -> Sql.update(c, "update bundle set code_exchange_at = null, updated_at = ? where bundle_id = ?"
                + " and state = 'AWAITING_SCA'", records.now(), bundleId));
    }

    /** Bundles whose code exchange was claimed before {@code before} and never completed: the process died during it. */
    public List<String> codeExchangesLost(Instant before) {
        return records.tx.inTransaction(c -> Sql.strings(c, "select bundle_id from bundle where state = 'AWAITING_SCA'"
                + " and code_exchange_at < ?", Timestamp.from(before)));
    }

    /** The SCA did not happen (refused, invalid answer, expired): the bundle and its waiting orders end. */
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
