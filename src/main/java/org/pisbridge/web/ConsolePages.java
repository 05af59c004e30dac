package org.pisbridge.web;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.pisbridge.oauth.Forms;
import org.pisbridge.store.ConsoleQueries;
import org.pisbridge.store.OrderHistory;

/**
 * The operator's console, server-rendered: batches and files with their progress, the bundles
 * waiting for SCA with their links (copy, send the "SCA required" event again, cancel), one order
 * with its events, and the orders that ended unpaid with their reasons (re-submit). Every page and
 * action asks {@link OperatorAccess} first. Approving happens only at the bank: the console shows
 * links, never bank credentials.
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
            String body = ordersTable(queries.batchOrders(name, LIMIT), o -> "");
            return ConsoleView.page(exchange, 200, "Batch " + (name.isEmpty() ? "(orders without a batch)" : name), operator,
                    body, refreshSeconds);
        });
    }

    /** GET /console/sca: bundles waiting for SCA, each with its link to copy, to send again, and to cancel. */
    public String waiting(Exchange exchange) {
        return signedIn(exchange, operator -> {
            StringBuilder b = new StringBuilder(notice(exchange));
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
                        .append(id).append("\">Copy link</button></td><td>")
                        .append(postButton(operator, "send-again", "/console/sca/" + urlPart(w.bundleId()) + "/send-again", "",
                                "Send again"))
                        .append(' ').append(postButton(operator, "cancel", "/console/sca/" + urlPart(w.bundleId()) + "/cancel", "",
                                "Cancel…"))
                        .append("</td></tr>");
            }
            b.append("</table><p>Each bundle is approved by one person at the bank with strong customer authentication;"
                    + " send them the link. \"Send again\" publishes the bundle's \"SCA required\" event on the SCA queue anew."
                    + " \"Cancel…\" asks once more, then revokes the bundle's authorization at the bank and ends its orders"
                    + " CANCELLED; they can be re-submitted later from Problems.</p>");
            return ConsoleView.page(exchange, 200, "Waiting for SCA", operator, b.toString(), refreshSeconds);
        });
    }

    /** POST /console/sca/{bundleId}/send-again: the "SCA required" event published anew. */
    public String sendAgain(Exchange exchange) {
        return bundleAction(exchange, "direct:sca-event-again", "Nothing was sent.");
    }

    /**
     * POST /console/sca/{bundleId}/cancel: nothing changed yet, the page that asks once more. Cancelling
     * cannot be undone for the bundle, and the console's CSP allows no inline script for a confirm()
     * dialog, so the second question is a page with a second form.
     */
    public String cancelAsk(Exchange exchange) {
        return changing(exchange, "Nothing was cancelled.", (operator, form) -> {
            String bundleId = exchange.getMessage().getHeader("bundleId", String.class);
            Optional<ConsoleQueries.WaitingBundle> found = queries.waitingBundle(bundleId);
            if (found.isEmpty()) {
                return ConsoleView.page(exchange, 409, "Not waiting", operator, "<p class=\"problem\">Bundle "
                        + Pages.escape(bundleId) + " is not waiting for SCA; nothing was cancelled.</p>"
                        + "<p><a href=\"/console/sca\">Back to Waiting for SCA</a></p>", 0);
            }
            ConsoleQueries.WaitingBundle w = found.get();
            StringBuilder b = new StringBuilder("<table id=\"bundle\">");
            row(b, "Bundle", w.bundleId());
            row(b, "Payer", w.payerIban());
            row(b, "Payments", String.valueOf(w.count()));
            row(b, "EUR", amount(w.total()));
            row(b, "Deadline", time(w.deadline()));
            b.append("</table><p>Cancelling revokes the bundle's authorization at the bank: nobody can approve it any more,"
                    + " and its ").append(w.count()).append(" order(s) end CANCELLED. This cannot be undone for the bundle;"
                    + " its orders can be re-submitted later, each for a new SCA.</p><p>")
                    .append(postButton(operator, "confirm-cancel", "/console/sca/" + urlPart(w.bundleId()) + "/cancel/confirmed",
                            "", "Cancel this bundle"))
                    .append(" <a href=\"/console/sca\">Keep it waiting</a></p>");
            return ConsoleView.page(exchange, 200, "Cancel this bundle?", operator, b.toString(), 0);
        });
    }

    /** POST /console/sca/{bundleId}/cancel/confirmed: the bundle cancelled, its authorization revoked at the bank. */
    public String cancel(Exchange exchange) {
        return bundleAction(exchange, "direct:cancel-bundle", "Nothing was cancelled.");
    }

    /** A waiting bundle's action: its route asked with the bundleId, the one-line answer shown on Waiting for SCA. */
    private String bundleAction(Exchange exchange, String route, String nothingDone) {
        return changing(exchange, nothingDone, (operator, form) -> answered(exchange, "/console/sca",
                producer.requestBody(route, exchange.getMessage().getHeader("bundleId", String.class), String.class)));
    }

    /**
     * POST /console/orders/{orderId}/resubmit: an order that ended unpaid starts again with a new payment
     * and a new SCA; the answer is shown on the page the button was on (Problems, or the order's page).
     */
    public String resubmit(Exchange exchange) {
        return changing(exchange, "Nothing was re-submitted.", (operator, form) -> {
            String orderId = exchange.getMessage().getHeader("orderId", String.class);
            String back = "problems".equals(form.get("back")) ? "/console/problems" : "/console/orders/" + urlEncoded(orderId);
            return answered(exchange, back, producer.requestBody("direct:resubmit-order", orderId, String.class));
        });
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
            StringBuilder b = new StringBuilder(notice(exchange)).append("<table id=\"order\">");
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
            b.append("</table>").append(resubmitButton(operator, o, "")).append("<h2>Events</h2><table id=\"events\"><tr><th>Time</th><th>State</th><th>Bank status</th>"
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
            StringBuilder b = new StringBuilder(notice(exchange))
                    .append(ordersTable(queries.problems(LIMIT), o -> resubmitButton(operator, o, "problems")));
            b.append("<h2>File lines that became no order</h2><table id=\"lines\"><tr><th>File</th><th>Line</th><th>Order</th>"
                    + "<th>State</th><th>Reason</th></tr>");
            for (ConsoleQueries.RejectedLine l : queries.rejectedLines(LIMIT)) {
                b.append("<tr><td>").append(Pages.escape(l.fileName())).append("</td><td class=\"n\">").append(l.lineNo())
                        .append("</td><td>").append(Pages.escape(l.orderId())).append("</td><td>").append(Pages.escape(l.state()))
                        .append("</td><td>").append(Pages.escape(l.reason())).append("</td></tr>");
            }
            b.append("</table><p>\"Re-submit\" (for an order failed, expired, refused at SCA or cancelled) asks the bank"
                    + " about the earlier payment first: if it was booked after all, the order is tracked to its end; otherwise"
                    + " the order starts again under its orderId with a new payment and a new SCA.</p>");
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

    /**
     * A POST that changes something: refused without a signed-in operator, and with 403 (nothing done)
     * without the session's CSRF token or from another site.
     */
    private String changing(Exchange exchange, String nothingDone,
                            BiFunction<OperatorAccess.Operator, Map<String, String>, String> action) {
        Optional<OperatorAccess.Operator> operator = access.operator(exchange);
        if (operator.isEmpty()) {
            return access.refuse(exchange);
        }
        Map<String, String> form = OperatorAccess.form(exchange);
        if (!access.mayChange(exchange, operator.get(), form)) {
            return ConsoleView.page(exchange, 403, "Not changed", operator.get(),
                    "<p class=\"problem\">The form expired or came from another site. " + Pages.escape(nothingDone) + "</p>", 0);
        }
        return action.apply(operator.get(), form);
    }

    /** After an action, back to a page (a GET, so reloading it does nothing again) that shows the action's answer. */
    private static String answered(Exchange exchange, String page, String answer) {
        exchange.getMessage().removeHeaders("*");
        ConsoleView.securityHeaders(exchange.getMessage());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        exchange.getMessage().setHeader("Location", page + "?" + Forms.encode("answer", answer));
        return "";
    }

    /** The answer of the action that led here, if any; a refusal marked as a problem. */
    private static String notice(Exchange exchange) {
        String answer = Forms.decode(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class)).get("answer");
        if (answer == null) {
            return "";
        }
        boolean refused = answer.startsWith("REFUSED") || answer.startsWith("NOT_WAITING");
        return "<p id=\"notice\"" + (refused ? " class=\"problem\"" : "") + ">" + Pages.escape(answer) + "</p>";
    }

    /** A one-button form posting the session's CSRF token (and where to come back, if not empty). */
    private static String postButton(OperatorAccess.Operator operator, String name, String action, String back, String label) {
        return "<form class=\"inline " + name + "\" method=\"post\" action=\"" + action + "\">" + ConsoleView.csrfField(operator)
                + (back.isEmpty() ? "" : "<input type=\"hidden\" name=\"back\" value=\"" + Pages.escape(back) + "\">")
                + "<button type=\"submit\">" + Pages.escape(label) + "</button></form>";
    }

    /** "Re-submit" for an order that ended unpaid in a state it may start again from; nothing otherwise. */
    private static String resubmitButton(OperatorAccess.Operator operator, ConsoleQueries.Order o, String back) {
        return o.resubmittable() ? postButton(operator, "resubmit", "/console/orders/" + urlPart(o.orderId()) + "/resubmit", back,
                "Re-submit") : "";
    }

    /** @param action the last cell of an order's row (a button, or nothing) */
    private static String ordersTable(List<ConsoleQueries.Order> orders, Function<ConsoleQueries.Order, String> action) {
        StringBuilder b = new StringBuilder("<table class=\"orders\"><tr><th>Order</th><th>Payee</th><th>EUR</th><th>State</th>"
                + "<th>Bank status</th><th>Reason</th><th>Last change</th><th></th></tr>");
        for (ConsoleQueries.Order o : orders) {
            b.append("<tr data-order=\"").append(Pages.escape(o.orderId())).append("\"><td><a href=\"/console/orders/")
                    .append(urlPart(o.orderId()))
                    .append("\">").append(Pages.escape(o.orderId())).append("</a></td><td>").append(Pages.escape(o.payeeName()))
                    .append("</td><td class=\"n\">").append(amount(o.amount())).append("</td><td>").append(Pages.escape(o.state()))
                    .append("</td><td>").append(Pages.escape(o.bankStatus())).append("</td><td>").append(Pages.escape(o.reason()))
                    .append("</td><td>").append(time(o.updatedAt())).append("</td><td>").append(action.apply(o))
                    .append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    /** A value as one part of a URL (a path segment or a query value), escaped for the page too. */
    private static String urlPart(String value) {
        return Pages.escape(urlEncoded(value));
    }

    private static String urlEncoded(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
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
