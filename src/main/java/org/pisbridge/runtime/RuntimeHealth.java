package org.pisbridge.runtime;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;

/**
 * Answers {@code GET /health}: whether the store and the broker answer right now. 200 with
 * {"status":"UP",...} when both do, 503 naming the part that does not.
 */
public final class RuntimeHealth {

    public Map<String, String> report(Exchange exchange) {
        var registry = exchange.getContext().getRegistry();
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("database", check(() -> {
            try (var c = registry.lookupByNameAndType("dataSource", DataSource.class).getConnection()) {
                if (!c.isValid(2)) {
                    throw new SQLException("connection not valid");
                }
            }
        }));
        parts.put("broker", check(() -> {
            ConnectionFactory factory = registry.lookupByNameAndType("jmsConnectionFactory", ConnectionFactory.class);
            try (Connection c = factory.createConnection()) {
                c.start();
            }
        }));
        boolean up = parts.values().stream().allMatch("UP"::equals);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.putAll(parts);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        return body;
    }

    private interface Probe {
        void run() throws Exception;
    }

    private static String check(Probe probe) {
        try {
            probe.run();
            return "UP";
        } catch (Exception e) {
            return "DOWN: " + e.getClass().getSimpleName();
        }
    }
}
