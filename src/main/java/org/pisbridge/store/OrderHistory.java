package org.pisbridge.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Each order's events for the operator's console, in their own table ({@code order_event}): the
 * status events as published, recorded in the transaction that deletes them from the outbox once
 * sent. The outbox forgets an event once it is sent, so this is where an order's history stays.
 */
public final class OrderHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Transactions tx;
    private final Clock clock;

    public OrderHistory(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    public record Event(String timestamp, String state, String bankStatus, String reason) {
    }

    /**
     * Records the status events just published (their JSON as sent on the status queue), in one
     * batch inside the caller's transaction; "SCA required" events are not an order's.
     */
    public void recordPublished(Connection c, List<StatusOutbox.Pending> published) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        try (PreparedStatement ps = c.prepareStatement("insert into order_event (order_id, state, bank_status, reason,"
                + " event_time, recorded_at) values (?, ?, ?, ?, ?, ?)")) {
            int batched = 0;
            for (StatusOutbox.Pending p : published) {
                Map<?, ?> e = StatusOutbox.STATUS.equals(p.topic()) ? fields(p.payload()) : Map.of();
                if (e.get("orderId") == null || e.get("state") == null) {
                    continue;
                }
                ps.setString(1, text(e.get("orderId"), 64));
                ps.setString(2, text(e.get("state"), 32));
                ps.setString(3, text(e.get("bankStatus"), 32));
                ps.setString(4, text(e.get("reason"), 2000));
                ps.setString(5, text(e.get("timestamp"), 40));
                ps.setTimestamp(6, now);
                ps.addBatch();
                batched++;
            }
            if (batched > 0) {
                ps.executeBatch();
            }
        }
    }

    private static Map<?, ?> fields(String statusEvent) {
        try {
            return JSON.readValue(statusEvent, Map.class);
        } catch (IOException e) {
            throw new IllegalStateException("a stored status event is not JSON", e);
        }
    }

    /** The order's events in the order they were recorded. */
    public List<Event> events(String orderId) {
        return tx.inTransaction(c -> {
            List<Event> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select event_time, state, bank_status, reason from order_event"
                    + " where order_id = ? order by event_id")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new Event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return events;
        });
    }

    private static String text(Object value, int max) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        return s.length() > max ? s.substring(0, max) : s;
    }
}
