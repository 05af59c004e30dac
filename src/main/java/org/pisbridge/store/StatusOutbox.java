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
import org.pisbridge.orders.OrderState;
import org.pisbridge.orders.StatusEvent;

/** The transactional outbox of the events the runtime publishes: status changes and SCA requests. */
public final class StatusOutbox {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String STATUS = "status";
    public static final String SCA = "sca";

    /** A stored event waiting to be published on its topic's queue. */
    public record Pending(long eventId, String topic, String correlationId, String payload) {
    }

    /** Records a status event inside the caller's transaction. */
    public void record(Connection tx, StatusEvent event) throws SQLException {
        insert(tx, STATUS, event.orderId(), toJson(event), event.timestamp());
    }

    /** Records many status events inside the caller's transaction, in one batch (a closing bundle of a large file). */
    public void recordAll(Connection tx, List<StatusEvent> events) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "insert into status_outbox (topic, correlation_id, payload, created_at) values (?, ?, ?, ?)")) {
            int pending = 0;
            for (StatusEvent e : events) {
                ps.setString(1, STATUS);
                ps.setString(2, e.orderId());
                ps.setString(3, toJson(e));
                ps.setTimestamp(4, Timestamp.from(e.timestamp()));
                ps.addBatch();
                if (++pending == 1000) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /** Records an "SCA required" event for a bundle inside the caller's transaction. */
    public void recordScaRequired(Connection tx, String bundleId, Map<String, Object> event, java.time.Instant at)
            throws SQLException {
        try {
            insert(tx, SCA, bundleId, JSON.writeValueAsString(event), at);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insert(Connection tx, String topic, String correlationId, String payload, java.time.Instant at)
            throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "insert into status_outbox (topic, correlation_id, payload, created_at) values (?, ?, ?, ?)")) {
            ps.setString(1, topic);
            ps.setString(2, correlationId);
            ps.setString(3, payload);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    /** The oldest events, in the order they happened. */
    public List<Pending> oldest(Connection c, int max) throws SQLException {
        List<Pending> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select event_id, topic, correlation_id, payload from status_outbox order by event_id")) {
            ps.setMaxRows(max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return events;
    }

    /** Deletes the events once sent, by id (ids commit out of order, so no range). */
    public void delete(Connection c, List<Pending> sent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from status_outbox where event_id = ?")) {
            for (Pending e : sent) {
                ps.setLong(1, e.eventId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static String toJson(StatusEvent event) {
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            // input that became no order (or not this one) must not read as the state of the order under that id
            body.put("event", event.state() == OrderState.REJECTED_INPUT || event.state() == OrderState.DUPLICATE
                    ? "INPUT_REFUSED" : "ORDER_STATUS");
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
