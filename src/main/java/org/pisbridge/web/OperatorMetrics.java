package org.pisbridge.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.ConsoleQueries;

/**
 * {@code GET /metrics} for a signed-in operator or an API token: Prometheus text of Camel's
 * Micrometer registry (routes, exchanges, the JVM), the bank calls and retries
 * ({@code pis_bank_calls_seconds}, {@code pis_bank_retries_total}) and the store's figures, read
 * once per scrape: orders by state, bundles waiting for SCA and the oldest wait, the outbox
 * backlog, orders whose reason is a signature failure, and each batch file's lines.
 */
public final class OperatorMetrics {
    private static final int FILES = 20;

    private final OperatorAccess access;
    private final ConsoleQueries queries;
    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    private final AtomicReference<ConsoleQueries.Figures> figures = new AtomicReference<>();
    private final MultiGauge orders;
    private final MultiGauge files;

    public OperatorMetrics(OperatorAccess access, ConsoleQueries queries, PrometheusMeterRegistry registry, Clock clock) {
        this.access = access;
        this.queries = queries;
        this.registry = registry;
        this.clock = clock;
        orders = MultiGauge.builder("pis.orders").description("Orders by state").register(registry);
        files = MultiGauge.builder("pis.file.lines").description("Lines of the latest batch files: read, accepted,"
                + " rejected, and orders final").register(registry);
        Gauge.builder("pis.bundles.awaiting.sca", figures, f -> f.get() == null ? 0 : f.get().bundlesWaiting())
                .description("Bundles waiting for SCA").register(registry);
        Gauge.builder("pis.sca.oldest.wait", figures, this::oldestWaitSeconds).baseUnit("seconds")
                .description("How long the longest-waiting bundle has waited for SCA").register(registry);
        Gauge.builder("pis.outbox.backlog", figures, f -> f.get() == null ? 0 : f.get().outboxBacklog())
                .description("Status and SCA events stored, not yet published").register(registry);
        Gauge.builder("pis.signature.failures", figures, f -> f.get() == null ? 0 : f.get().signatureFailures())
                .description("Orders whose reason is a signature the bank refused or that could not be verified").register(registry);
    }

    public String scrape(Exchange exchange) {
        if (access.operator(exchange).isEmpty()) {
            return access.refuse(exchange);
        }
        refresh();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        return registry.scrape();
    }

    private void refresh() {
        ConsoleQueries.Figures f = queries.figures();
        figures.set(f);
        List<MultiGauge.Row<?>> byState = new ArrayList<>();
        for (OrderState state : OrderState.values()) {
            byState.add(MultiGauge.Row.of(Tags.of("state", state.name()), f.ordersByState().getOrDefault(state.name(), 0L)));
        }
        orders.register(byState, true);
        List<MultiGauge.Row<?>> lines = new ArrayList<>();
        for (ConsoleQueries.FileProgress file : queries.files(FILES)) {
            lines.add(MultiGauge.Row.of(Tags.of("file", file.fileName(), "count", "read"), file.linesRead()));
            lines.add(MultiGauge.Row.of(Tags.of("file", file.fileName(), "count", "accepted"), file.accepted()));
            lines.add(MultiGauge.Row.of(Tags.of("file", file.fileName(), "count", "rejected"), file.rejected()));
            lines.add(MultiGauge.Row.of(Tags.of("file", file.fileName(), "count", "final"), file.done()));
        }
        files.register(lines, true);
    }

    private double oldestWaitSeconds(AtomicReference<ConsoleQueries.Figures> f) {
        ConsoleQueries.Figures figures = f.get();
        return figures == null || figures.oldestWaitSince() == null ? 0
                : Duration.between(figures.oldestWaitSince(), clock.instant()).toSeconds();
    }
}
