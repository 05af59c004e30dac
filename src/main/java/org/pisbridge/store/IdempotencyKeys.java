package org.pisbridge.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The x-idempotency-keys of orders' payments: each derived from what it identifies, so a retry or
 * a restart sends the same key, and each recorded when given to an order (table
 * {@code issued_idempotency_key}), so no key is ever given twice — not even one an order held in
 * an earlier generation of its payment.
 */
final class IdempotencyKeys {
    private IdempotencyKeys() {
    }

    /**
     * The key for {@code basis} (an orderId, or an orderId and what makes a new payment of it): base64url of
     * SHA-256, 43 characters.
     */
    static String derive(String basis) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Gives {@code orderId} the key derived from {@code basis} and records it, in the caller's transaction;
     * returns the key. A key given before fails the transaction (a unique key violation, SQLState 23505),
     * so it is never sent for two payments.
     */
    static String give(Connection c, String orderId, String basis, Instant at) throws SQLException {
        String key = derive(basis);
        record(c, Map.of(orderId, key), at);
        return key;
    }

    /**
     * {@link #give} for new orders' first payments (each key derived from the orderId alone), in one batch;
     * keys by orderId.
     */
    static Map<String, String> giveFirst(Connection c, Collection<String> orderIds, Instant at) throws SQLException {
        Map<String, String> keys = new HashMap<>();
        for (String orderId : orderIds) {
            keys.put(orderId, derive(orderId));
        }
        record(c, keys, at);
        return keys;
    }

    private static void record(Connection c, Map<String, String> keyByOrder, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into issued_idempotency_key (idempotency_key, order_id, issued_at) values (?, ?, ?)")) {
            Timestamp when = Timestamp.from(at);
            for (Map.Entry<String, String> k : keyByOrder.entrySet()) {
                ps.setString(1, k.getValue());
                ps.setString(2, k.getKey());
                ps.setTimestamp(3, when);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
