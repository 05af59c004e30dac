package org.pisbridge.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * The runtime's health through Camel's health-check API. {@code GET /health} is the bare liveness
 * anyone may ask (the runtime runs: {"status":"UP"}), {@code GET /health/ready} the readiness
 * (store, broker, bank, certificate, JWKS, routes and consumers), 503 when any is down; only a
 * signed-in operator or an API token also sees which check says what.
 */
public final class HealthReport {
    private final OperatorAccess access;

    public HealthReport(OperatorAccess access) {
        this.access = access;
    }

    public Map<String, Object> liveness(Exchange exchange) {
        boolean up = HealthCheckHelper.invokeLiveness(exchange.getContext()).stream()
                .allMatch(r -> r.getState() == HealthCheck.State.UP);
        return answer(exchange, up, null);
    }

    public Map<String, Object> readiness(Exchange exchange) {
        Map<String, Map<String, Object>> checks = checks(exchange.getContext());
        boolean up = checks.values().stream().allMatch(c -> "UP".equals(c.get("state")));
        return answer(exchange, up, access.operator(exchange).isPresent() ? checks : null);
    }

    /** Each readiness check by id: its state and what it says. */
    static Map<String, Map<String, Object>> checks(CamelContext context) {
        Map<String, Map<String, Object>> checks = new LinkedHashMap<>();
        for (HealthCheck.Result r : HealthCheckHelper.invokeReadiness(context)) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("state", r.getState().name());
            r.getMessage().ifPresent(m -> check.put("details", m));
            r.getDetails().forEach((k, v) -> {
                if (k.equals("valid-to") || k.equals("days-left") || k.equals("host")) {
                    check.put(k, String.valueOf(v));
                }
            });
            checks.put(r.getCheck().getId(), check);
        }
        return checks;
    }

    private static Map<String, Object> answer(Exchange exchange, boolean up, Map<String, Map<String, Object>> checks) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        if (checks != null) {
            body.put("checks", checks);
        }
        return body;
    }
}
