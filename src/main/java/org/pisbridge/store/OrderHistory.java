package org.pisbridge.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Each order's events for the operator's console, in their own table ({@code order_event}): the
 * status events as published, copied to the console's queue by the broker, recorded here. The
 * payment engine's outbox deletes an event once it is sent, so this is where an order's history stays.
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

    /** Records one status event (its JSON as published on the status queue); anything else is ignored. */
    public void record(String statusEvent) throws IOException {
        Map<?, ?> e = JSON.readValue(statusEvent, Map.class);
        if (e.get("orderId") == null || e.get("state") == null) {
            return;
        }
        tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into order_event (order_id, state, bank_status, reason,"
                    + " event_time, recorded_at) values (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, text(e.get("orderId"), 64));
                ps.setString(2, text(e.get("state"), 32));
                ps.setString(3, text(e.get("bankStatus"), 32));
                ps.setString(4, text(e.get("reason"), 2000));
                ps.setString(5, text(e.get("timestamp"), 40));
                ps.setTimestamp(6, Timestamp.from(clock.instant()));
                return ps.executeUpdate();
            }
        });
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
