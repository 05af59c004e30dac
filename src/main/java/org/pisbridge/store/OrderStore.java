package org.pisbridge.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.pisbridge.orders.OrderState;
import org.pisbridge.orders.PaymentOrder;
import org.pisbridge.orders.StatusEvent;

/**
 * Intake's view of the store: a valid order is stored in the same transaction as its place in
 * an open bundle and its RECEIVED event; bundles close by count, quiet period or window, and a
 * file's bundles when the file has been read to its end.
 */
public final class OrderStore {
    /** What became of an order handed to {@link #accept}. */
    public enum Accepted { STORED, DUPLICATE }

    private final Transactions tx;
    private final StatusOutbox outbox = new StatusOutbox();
    private final Clock clock;

    public OrderStore(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * The x-idempotency-key sent to the bank for an order: derived from the orderId alone, so it is
     * the same on every retry and after a restart; base64url of SHA-256, 43 characters.
     */
    public static String idempotencyKey(String orderId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(orderId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Accepted accept(PaymentOrder o, String source, String sourceFile, Integer sourceLine) {
        return tx.inTransaction(c -> {
            Instant now = clock.instant();
            if (!Sql.strings(c, "select order_id from payment_order where order_id = ?", o.orderId()).isEmpty()) {
                outbox.record(c, new StatusEvent(o.orderId(), null, null, OrderState.DUPLICATE, null,
                        "orderId " + o.orderId() + " was received before; this message is not paid", now));
                return Accepted.DUPLICATE;
            }
            String batchKey = sourceFile != null ? fileBatchKey(sourceFile)
                    : o.batchId() != null ? "batch:" + o.batchId() : "window:" + o.payerIban();
            String bundleId = openBundle(c, batchKey, o.payerIban(), o.batchSize(), now);
            try (PreparedStatement ps = c.prepareStatement("insert into payment_order (order_id, bundle_id, batch_id, source,"
                    + " source_file, source_line, payer_iban, payee_iban, payee_name, amount_eur, message, reference, state,"
                    + " idempotency_key, sca_always, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                Sql.bind(ps, o.orderId(), bundleId, Sql.nullable(o.batchId()), source, Sql.nullable(sourceFile),
                        sourceLine == null ? Sql.nullable(null) : sourceLine, o.payerIban(), o.payeeIban(), o.payeeName(),
                        o.amountEur(), Sql.nullable(o.message()), Sql.nullable(o.reference()), OrderState.RECEIVED.name(),
                        idempotencyKey(o.orderId()), o.scaAlways(), Timestamp.from(now), Timestamp.from(now));
                ps.executeUpdate();
            }
            Sql.update(c, "update bundle set last_order_at = ?, updated_at = ? where bundle_id = ?",
                    Timestamp.from(now), Timestamp.from(now), bundleId);
            outbox.record(c, new StatusEvent(o.orderId(), null, null, OrderState.RECEIVED, null, null, now));
            return Accepted.STORED;
        });
    }

    /** What groups a file's orders: one bundle per file and payer, closed when the file is read to its end. */
    public static String fileBatchKey(String fileName) {
        return "file:" + fileName;
    }

    /** The open bundles of a batch key, e.g. those of a file read to its end. */
    public List<String> openBundles(String batchKey) {
        return tx.inTransaction(c -> Sql.strings(c, "select bundle_id from bundle where batch_key = ? and state = 'OPEN'"
                + " order by created_at", batchKey));
    }

    /** Records a REJECTED_INPUT event for input that never became an order. */
    public void rejectInput(String orderId, String reason) {
        tx.inTransaction(c -> {
            outbox.record(c, new StatusEvent(orderId, null, null, OrderState.REJECTED_INPUT, null, reason, clock.instant()));
            return null;
        });
    }

    /** Open bundles due to close: batch complete, batch quiet, or the per-payer window over. */
    public List<String> bundlesDueToClose(Duration quietPeriod, Duration window) {
        return tx.inTransaction(c -> {
            Instant now = clock.instant();
            return Sql.strings(c, "select b.bundle_id from bundle b where b.state = 'OPEN' and ("
                    + " (b.expected_count is not null and (select count(*) from payment_order o where o.bundle_id = b.bundle_id)"
                    + "   >= b.expected_count)"
                    + " or (b.batch_key like 'batch:%' and b.last_order_at < ?)"
                    + " or (b.batch_key like 'window:%' and b.created_at < ?)) order by b.created_at",
                    Timestamp.from(now.minus(quietPeriod)), Timestamp.from(now.minus(window)));
        });
    }

    /** Closes an open bundle: its orders become BUNDLED, one event each. A second close changes nothing. */
    public boolean close(String bundleId) {
        return tx.inTransaction(c -> {
            Instant now = clock.instant();
            int changed = Sql.update(c, "update bundle set state = 'CLOSED', open_key = null, updated_at = ?"
                    + " where bundle_id = ? and state = 'OPEN'", Timestamp.from(now), bundleId);
            if (changed == 0) {
                return false;
            }
            for (String orderId : Sql.strings(c, "select order_id from payment_order where bundle_id = ? and state = 'RECEIVED'"
                    + " order by created_at, order_id", bundleId)) {
                Sql.update(c, "update payment_order set state = 'BUNDLED', updated_at = ? where order_id = ?",
                        Timestamp.from(now), orderId);
                outbox.record(c, new StatusEvent(orderId, null, null, OrderState.BUNDLED, null, null, now));
            }
            return true;
        });
    }

    private String openBundle(Connection c, String batchKey, String payer, Integer expected, Instant now) throws SQLException {
        String openKey = batchKey + "|" + payer;
        List<String> open = Sql.strings(c, "select bundle_id from bundle where open_key = ? for update", openKey);
        if (!open.isEmpty()) {
            return open.get(0);
        }
        String bundleId = UUID.randomUUID().toString();
        // a competing consumer inserting the same open_key makes this fail; the message is redelivered and joins it
        Sql.update(c, "insert into bundle (bundle_id, batch_key, payer_iban, state, expected_count, open_key, created_at,"
                + " updated_at) values (?, ?, ?, 'OPEN', ?, ?, ?, ?)", bundleId, batchKey, payer,
                expected == null ? Sql.nullable(null) : expected, openKey, Timestamp.from(now), Timestamp.from(now));
        return bundleId;
    }
}
