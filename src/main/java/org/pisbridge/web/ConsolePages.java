package org.pisbridge.web;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.pisbridge.oauth.Forms;
import org.pisbridge.store.ConsoleQueries;
import org.pisbridge.store.OrderHistory;

/**
 * The operator's console, server-rendered: batches and files with their progress, the bundles
 * waiting for SCA with their links (copy, send the "SCA required" event again), one order with its
 * events, and the orders that ended unpaid with their reasons. Every page and action asks
 * {@link OperatorAccess} first. Approving happens only at the bank: the console shows links, never
 * bank credentials.
 */
public final class ConsolePages {
    private static final int LIMIT = 500;

    private final OperatorAccess access;
    private final ConsoleQueries queries;
    private final OrderHistory history;
    private final ProducerTemplate producer;
    private final String publicUrl;
    private final int refreshSeconds;
    private final Clock clock;

    public ConsolePages(OperatorAccess access, ConsoleQueries queries, OrderHistory history, ProducerTemplate producer,
                        String publicUrl, int refreshSeconds, Clock clock) {
        this.access = access;
        this.queries = queries;
        this.history = history;
        this.producer = producer;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.refreshSeconds = refreshSeconds;
        this.clock = clock;
    }

    /** GET /console: every batch (ERP batch or file) with its orders per state and its progress. */
    public String batches(Exchange exchange) {
        return signedIn(exchange, operator -> {
            StringBuilder b = new StringBuilder("<table id=\"batches\"><tr><th>Batch</th><th>Progress</th><th>Orders</th>"
                    + "<th>By state</th><th>Last change</th></tr>");
            for (ConsoleQueries.Batch batch : queries.batches(LIMIT)) {
                String name = batch.name().isEmpty() ? "(orders without a batch)" : batch.name();
                b.append("<tr data-batch=\"").append(Pages.escape(batch.name())).append("\"><td><a href=\"/console/batch?name=")
                        .append(urlPart(batch.name())).append("\">").append(Pages.escape(name))
                        .append("</a></td><td><progress max=\"").append(batch.total()).append("\" value=\"").append(batch.done())
                        .append("\"></progress> <span class=\"done\">").append(batch.done()).append(" of ").append(batch.total())
                        .append(" final</span></td><td class=\"n\">").append(batch.total()).append("</td><td class=\"states\">");
                batch.byState().forEach((state, n) -> b.append(Pages.escape(state)).append(": ").append(n).append(' '));
                b.append("</td><td>").append(time(batch.lastChange())).append("</td></tr>");
            }
            b.append("</table><h2>Batch files</h2><table id=\"files\"><tr><th>File</th><th>State</th><th>Lines read</th>"
                    + "<th>Accepted</th><th>Rejected</th><th>Orders final</th></tr>");
            for (ConsoleQueries.FileProgress f : queries.files(LIMIT)) {
                b.append("<tr><td>").append(Pages.escape(f.fileName())).append("</td><td>").append(Pages.escape(f.state()))
                        .append("</td><td class=\"n\">").append(f.linesRead()).append("</td><td class=\"n\">").append(f.accepted())
                        .append("</td><td class=\"n\">").append(f.rejected()).append("</td><td class=\"n\">").append(f.done())
                        .append("</td></tr>");
            }
            b.append("</table>");
            return ConsoleView.page(exchange, 200, "Batches", operator, b.toString(), refreshSeconds);
        });
    }

    /** GET /console/batch?name=…: the batch's orders. */
    public String batch(Exchange exchange) {
        return signedIn(exchange, operator -> {
            String name = Optional.ofNullable(Forms.decode(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class))
                    .get("name")).orElse("");
            String body = ordersTable(queries.batchOrders(name, LIMIT));
            return ConsoleView.page(exchange, 200, "Batch " + (name.isEmpty() ? "(orders without a batch)" : name), operator,
                    body, refreshSeconds);
        });
    }

    /** GET /console/sca: bundles waiting for SCA, each with its link to copy and to send again. */
    public String waiting(Exchange exchange) {
        return signedIn(exchange, operator -> {
            String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
            String sent = Forms.decode(query).get("sent");
            StringBuilder b = new StringBuilder();
            if (sent != null) {
                b.append("<p id=\"notice\">").append(Pages.escape(sent)).append("</p>");
            }
            List<ConsoleQueries.WaitingBundle> bundles = queries.waitingBundles();
            if (bundles.isEmpty()) {
                b.append("<p>No bundle is waiting for approval.</p>");
            }
            b.append("<table id=\"waiting\"><tr><th>Payer</th><th>Payments</th><th>EUR</th><th>Waiting since</th>"
                    + "<th>Deadline</th><th>Link for the approver</th><th></th></tr>");
            for (ConsoleQueries.WaitingBundle w : bundles) {
                String id = Pages.escape(w.bundleId());
                b.append("<tr data-bundle=\"").append(id).append("\"><td>").append(Pages.escape(w.payerIban()))
                        .append("</td><td class=\"n\">").append(w.count()).append("</td><td class=\"n\">")
                        .append(w.total().setScale(2).toPlainString()).append("</td><td>").append(time(w.waitingSince()))
                        .append("</td><td>").append(time(w.deadline())).append(" (").append(left(w.deadline()))
                        .append(")</td><td><input class=\"link\" id=\"link-").append(id).append("\" readonly value=\"")
                        .append(Pages.escape(publicUrl + "/sca/" + w.bundleId())).append("\"> <button type=\"button\" data-copy=\"link-")
                        .append(id).append("\">Copy link</button></td><td><form class=\"inline\" method=\"post\" action=\"/console/sca/")
                        .append(id).append("/send-again\">").append(ConsoleView.csrfField(operator))
                        .append("<button type=\"submit\">Send again</button></form></td></tr>");
            }
            b.append("</table><p>Each bundle is approved by one person at the bank with strong customer authentication;"
                    + " send them the link. \"Send again\" publishes the bundle's \"SCA required\" event on the SCA queue anew."
                    + "</p><section id=\"bundle-actions\"><h2>Actions</h2><p>Cancelling a waiting bundle comes with the"
                    + " payment engine's cancel.</p></section>");
            return ConsoleView.page(exchange, 200, "Waiting for SCA", operator, b.toString(), refreshSeconds);
        });
    }

    /** POST /console/sca/{bundleId}/send-again: the "SCA required" event published anew. */
    public String sendAgain(Exchange exchange) {
        Optional<OperatorAccess.Operator> operator = access.operator(exchange);
        if (operator.isEmpty()) {
            return access.refuse(exchange);
        }
        String bundleId = exchange.getMessage().getHeader("bundleId", String.class);
        if (!access.mayChange(exchange, operator.get(), OperatorAccess.form(exchange))) {
            return ConsoleView.page(exchange, 403, "Not changed", operator.get(),
                    "<p class=\"problem\">The form expired or came from another site. Nothing was sent.</p>", 0);
        }
        String answer = producer.requestBody("direct:sca-event-again", bundleId, String.class);
        exchange.getMessage().removeHeaders("*");
        ConsoleView.securityHeaders(exchange.getMessage());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        exchange.getMessage().setHeader("Location", "/console/sca?" + Forms.encode("sent", answer));
        return "";
    }

    /** GET /console/orders/{orderId}: the order as stored, and every event it had. */
    public String order(Exchange exchange) {
        return signedIn(exchange, operator -> {
            String orderId = exchange.getMessage().getHeader("orderId", String.class);
            Optional<ConsoleQueries.Order> found = queries.order(orderId);
            if (found.isEmpty()) {
                return ConsoleView.page(exchange, 404, "No such order", operator, "<p>No order " + Pages.escape(orderId) + ".</p>", 0);
            }
            ConsoleQueries.Order o = found.get();
            StringBuilder b = new StringBuilder("<table id=\"order\">");
            row(b, "Order", o.orderId());
            row(b, "Batch", o.batch());
            row(b, "Bundle", o.bundleId());
            row(b, "Payer", o.payerIban());
            row(b, "Payee", o.payeeName() + ", " + o.payeeIban());
            row(b, "EUR", o.amount().setScale(2).toPlainString());
            row(b, "State", o.state());
            row(b, "Bank status", o.bankStatus());
            row(b, "Reason", o.reason());
            row(b, "Payment id", o.paymentId());
            row(b, "Authorization id", o.authorizationId());
            row(b, "Received", time(o.createdAt()));
            row(b, "Last change", time(o.updatedAt()));
            b.append("</table><h2>Events</h2><table id=\"events\"><tr><th>Time</th><th>State</th><th>Bank status</th>"
                    + "<th>Reason</th></tr>");
            for (OrderHistory.Event e : history.events(o.orderId())) {
                b.append("<tr><td>").append(Pages.escape(e.timestamp())).append("</td><td>").append(Pages.escape(e.state()))
                        .append("</td><td>").append(Pages.escape(e.bankStatus())).append("</td><td>").append(Pages.escape(e.reason()))
                        .append("</td></tr>");
            }
            b.append("</table>");
            return ConsoleView.page(exchange, 200, "Order " + o.orderId(), operator, b.toString(), 0);
        });
    }

    /** GET /console/problems: orders that ended unpaid, and file lines that became no order, with their reasons. */
    public String problems(Exchange exchange) {
        return signedIn(exchange, operator -> {
            StringBuilder b = new StringBuilder(ordersTable(queries.problems(LIMIT)));
            b.append("<h2>File lines that became no order</h2><table id=\"lines\"><tr><th>File</th><th>Line</th><th>Order</th>"
                    + "<th>State</th><th>Reason</th></tr>");
            for (ConsoleQueries.RejectedLine l : queries.rejectedLines(LIMIT)) {
                b.append("<tr><td>").append(Pages.escape(l.fileName())).append("</td><td class=\"n\">").append(l.lineNo())
                        .append("</td><td>").append(Pages.escape(l.orderId())).append("</td><td>").append(Pages.escape(l.state()))
                        .append("</td><td>").append(Pages.escape(l.reason())).append("</td></tr>");
            }
            b.append("</table><section id=\"order-actions\"><h2>Actions</h2><p>Re-submitting failed orders comes with the"
                    + " payment engine's re-submit.</p></section>");
            return ConsoleView.page(exchange, 200, "Failed, expired and rejected", operator, b.toString(), refreshSeconds);
        });
    }

    /** GET /console/health: each readiness check with its details. */
    public String health(Exchange exchange) {
        return signedIn(exchange, operator -> {
            StringBuilder b = new StringBuilder("<table id=\"health\"><tr><th>Check</th><th>State</th><th>Details</th></tr>");
            for (Map.Entry<String, Map<String, Object>> check : HealthReport.checks(exchange.getContext()).entrySet()) {
                b.append("<tr><td>").append(Pages.escape(check.getKey())).append("</td><td>")
                        .append(Pages.escape(String.valueOf(check.getValue().get("state")))).append("</td><td>")
                        .append(Pages.escape(String.valueOf(check.getValue().getOrDefault("details", "")))).append("</td></tr>");
            }
            b.append("</table>");
            return ConsoleView.page(exchange, 200, "Health", operator, b.toString(), refreshSeconds);
        });
    }

    private String signedIn(Exchange exchange, Function<OperatorAccess.Operator, String> page) {
        return access.operator(exchange).map(page).orElseGet(() -> access.refuse(exchange));
    }

    private static String ordersTable(List<ConsoleQueries.Order> orders) {
        StringBuilder b = new StringBuilder("<table class=\"orders\"><tr><th>Order</th><th>Payee</th><th>EUR</th><th>State</th>"
                + "<th>Bank status</th><th>Reason</th><th>Last change</th></tr>");
        for (ConsoleQueries.Order o : orders) {
            b.append("<tr><td><a href=\"/console/orders/").append(urlPart(o.orderId()))
                    .append("\">").append(Pages.escape(o.orderId())).append("</a></td><td>").append(Pages.escape(o.payeeName()))
                    .append("</td><td class=\"n\">").append(amount(o.amount())).append("</td><td>").append(Pages.escape(o.state()))
                    .append("</td><td>").append(Pages.escape(o.bankStatus())).append("</td><td>").append(Pages.escape(o.reason()))
                    .append("</td><td>").append(time(o.updatedAt())).append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    /** A value as one part of a URL (a path segment or a query value), escaped for the page too. */
    private static String urlPart(String value) {
        return Pages.escape(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** A moment as people read it: UTC, to the second. */
    private static String time(Instant t) {
        return t == null ? "" : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static String amount(BigDecimal amount) {
        return amount == null ? "" : amount.setScale(2).toPlainString();
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append("<tr><th>").append(Pages.escape(name)).append("</th><td>").append(Pages.escape(value)).append("</td></tr>");
    }

    private String left(Instant deadline) {
        Duration d = Duration.between(clock.instant(), deadline);
        return d.isNegative() ? "overdue" : d.toMinutes() + " min left";
    }
}
