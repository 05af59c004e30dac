package org.pisbridge.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pisbridge.orders.StatusEvent;

/** The transactional outbox of status events. */
public final class StatusOutbox {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stored event waiting to be published. */
    public record Pending(long eventId, String orderId, String payload) {
    }

    /** Records {@code event} inside the caller's transaction. */
    public void record(Connection tx, StatusEvent event) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "insert into status_outbox (order_id, payload, created_at) values (?, ?, ?)")) {
            ps.setString(1, event.orderId());
            ps.setString(2, toJson(event));
            ps.setTimestamp(3, Timestamp.from(event.timestamp()));
            ps.executeUpdate();
        }
    }

    /** The oldest events, in the order they happened. */
    public List<Pending> oldest(Connection c, int max) throws SQLException {
        List<Pending> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select event_id, order_id, payload from status_outbox order by event_id")) {
            ps.setMaxRows(max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return events;
    }

    public void delete(Connection c, long eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from status_outbox where event_id = ?")) {
            ps.setLong(1, eventId);
            ps.executeUpdate();
        }
    }

    static String toJson(StatusEvent event) {
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("orderId", event.orderId());
            body.put("paymentId", event.paymentId());
            body.put("authorizationId", event.authorizationId());
            body.put("state", event.state().name());
            body.put("bankStatus", event.bankStatus());
            body.put("reason", event.reason());
            body.put("timestamp", event.timestamp().toString());
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
