package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * The exemption flow end to end against the sandbox bank, which enforces OP's limits itself:
 * after one SCA, small payments and own-account transfers are paid without a login page; the
 * payments past the limits, and those whose grant the bank no longer honours, fall back to SCA.
 */
class ExemptionPaymentsTest {
    static final String PAYER = "FI4950009420028730";
    static final String PAYEE = "FI9112345600000786";
    /** Another account of the same sandbox user (88888881) as PAYER. */
    static final String OWN = "FI5850009420172322";

    static Map<String, String> settings(String... more) {
        Map<String, String> s = new java.util.HashMap<>(Map.of(
                "pis.exemption.enabled", "true",
                "pis.exemption.own-accounts", PAYER + ", " + OWN,
                "pis.bundles.window-ms", "500",
                "pis.flow.retry-max-seconds", "2"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            s.put(more[i], more[i + 1]);
        }
        return s;
    }

    /** A first batch approved by SCA gives the runtime the payer's grant. */
    static void approvedSca(FlowHarness h, String orderId, String amount) throws Exception {
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, amount);
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).body()).contains("Payments authorised");
        assertThat(h.finalEvent(orderId)).containsEntry("state", "COMPLETED");
    }

    /** Sends a single order (no batch) and returns its events up to its final state. */
    static List<Map<String, Object>> paid(FlowHarness h, String orderId, String payee, String amount) throws Exception {
        h.send(FlowHarness.order(orderId, null, 0, PAYER, payee, amount));
        return h.eventsUntilFinal(List.of(orderId), 120).get(orderId);
    }

    /** Paid the exemption way: no SCA asked for, completed, booked once on its own exemption authorization. */
    static void assertExempt(FlowHarness h, List<Map<String, Object>> events) {
        assertThat(events).extracting(e -> e.get("state"))
                .containsSubsequence("RECEIVED", "EXEMPTION", "CREATED", "AUTHORIZED", "SUBMITTED", "COMPLETED")
                .doesNotContain("BUNDLED", "AWAITING_SCA");
        Map<String, Object> last = events.get(events.size() - 1);
        assertThat(h.bank.bookings(last.get("paymentId").toString())).isEqualTo(1);
        var authorization = h.bank.state().authorizations.get(last.get("authorizationId").toString());
        assertThat(authorization.exemption).isTrue();
        assertThat(authorization.paymentIds).hasSize(1);
    }

    /** Sends a single order expected to need SCA, approves it and checks it completes by the default flow. */
    static List<Map<String, Object>> paidAfterSca(FlowHarness h, String orderId, String payee, String amount) throws Exception {
        h.send(FlowHarness.order(orderId, null, 0, PAYER, payee, amount));
        Map<String, Object> sca = h.scaEventFor(amount);
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).body()).contains("Payments authorised");
        List<Map<String, Object>> events = h.eventsUntilFinal(List.of(orderId), 120).get(orderId);
        assertThat(events).extracting(e -> e.get("state")).contains("AWAITING_SCA").endsWith("COMPLETED");
        assertThat(events.get(events.size() - 1).get("authorizationId")).isEqualTo(sca.get("authorizationId"));
        return events;
    }

    @Test
    void smallPaymentsGoWithoutScaUntilTheLimitsAndTheCountersResetAfterANewSca(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, settings())) {
            approvedSca(h, "S-0", "100.00");

            // 29 + 29 + 29 = 87 EUR without SCA; 20 more would reach 107: SCA
            for (String id : List.of("S-1", "S-2", "S-3")) {
                assertExempt(h, paid(h, id, PAYEE, "29.00"));
            }
            paidAfterSca(h, "S-4", PAYEE, "20.00");

            // that SCA reset the counters: five small ones again, the sixth needs SCA
            for (String id : List.of("S-5", "S-6", "S-7", "S-8", "S-9")) {
                assertExempt(h, paid(h, id, PAYEE, "1.00"));
            }
            paidAfterSca(h, "S-10", PAYEE, "1.10");

            // 30 EUR or more always needs SCA; so does an order that asks for it
            paidAfterSca(h, "S-11", PAYEE, "30.00");
            Map<String, Object> always = FlowHarness.order("S-12", null, 0, PAYER, PAYEE, "2.00");
            always.put("sca", "always");
            h.send(always);
            assertThat(h.scaEventFor("2.00")).containsEntry("count", 1);
        }
    }

    @Test
    void ownAccountTransfersOfAnyAmountGoWithoutSca(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, settings())) {
            approvedSca(h, "O-0", "100.00");
            // the customer's own details from the ERP go with it (x-fapi-customer-* headers)
            Map<String, Object> withCustomer = FlowHarness.order("O-1", null, 0, PAYER, OWN, "2500.00");
            withCustomer.put("customer", Map.of("ipAddress", "203.0.113.7", "userAgent", "ERP desk 4.2",
                    "lastLoggedTime", "2026-11-20T08:00:00Z"));
            h.send(withCustomer);
            assertExempt(h, h.eventsUntilFinal(List.of("O-1"), 120).get("O-1"));
            assertExempt(h, paid(h, "O-2", OWN, "31.00"));
            // own-account transfers do not count against the small-payment limits
            assertExempt(h, paid(h, "O-3", PAYEE, "29.99"));

            // a declared batch is approved as a whole: its small order waits for the batch's one SCA
            h.send(FlowHarness.order("O-4", "batch-O", 2, PAYER, PAYEE, "5.00"));
            h.send(FlowHarness.order("O-5", "batch-O", 2, PAYER, PAYEE, "100.00"));
            Map<String, Object> sca = h.scaEventFor("105.00");
            assertThat(sca).containsEntry("count", 2);
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).body()).contains("Payments authorised");
            assertThat(h.eventsUntilFinal(List.of("O-4", "O-5"), 120).values())
                    .allSatisfy(events -> assertThat(events).extracting(e -> e.get("state")).doesNotContain("EXEMPTION").endsWith("COMPLETED"));
        }
    }

    /** The refresh tokens the sandbox bank still honours. */
    static List<TokenGrant> liveRefreshTokens(FlowHarness h) {
        return h.bank.state().tokens.values().stream()
                .filter(t -> t.kind == TokenGrant.Kind.REFRESH && t.isActive(java.time.Instant.now())).toList();
    }

    /** The order went the exemption way, the bank said no, and it was paid after an SCA; returns the fallback's reason. */
    static String fellBack(List<Map<String, Object>> events) {
        assertThat(events).extracting(e -> e.get("state"))
                .containsSubsequence("RECEIVED", "EXEMPTION", "RECEIVED", "BUNDLED", "AWAITING_SCA", "COMPLETED");
        return events.stream().filter(e -> e.get("reason") != null && e.get("reason").toString().startsWith("exemption flow not possible"))
                .map(e -> e.get("reason").toString()).findFirst().orElseThrow();
    }

    @Test
    void theBankUnreachableKeepsTheGrantAndItsRefusalsFallBackToSca(@TempDir Path dir) throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        root.addAppender(log);
        try (FlowHarness h = new FlowHarness(dir, settings())) {
            approvedSca(h, "F-0", "100.00");

            // the token endpoint down for more than a whole round of retries: the refresh token is kept
            // and a later round pays the order without SCA
            h.bank.faults().status("POST", "/oauth/token", 503, 20);
            assertExempt(h, paid(h, "F-1", PAYEE, "3.00"));
            assertThat(log.list).anyMatch(e -> e.getFormattedMessage().contains("Exemption flow of order F-1 tried again later")
                    && e.getFormattedMessage().contains("503"));

            // the bank counts more exemption payments than the runtime: it refuses the assertion
            liveRefreshTokens(h).forEach(t -> t.exemptionCount = 5);
            assertThat(fellBack(paidAfterSca(h, "F-2", PAYEE, "4.00"))).contains("exemption limit exceeded");

            // the payer's grant revoked at the bank
            assertThat(liveRefreshTokens(h)).isNotEmpty();
            liveRefreshTokens(h).forEach(t -> t.revoked = true);
            assertThat(fellBack(paidAfterSca(h, "F-3", PAYEE, "5.00"))).contains("expired or revoked");

            // the payer's grant expired at the bank
            liveRefreshTokens(h).forEach(t -> t.expiresAt = java.time.Instant.now().minusSeconds(1));
            assertThat(fellBack(paidAfterSca(h, "F-4", PAYEE, "6.00"))).contains("expired or revoked");

            // and after that SCA the exemption flow works again
            assertExempt(h, paid(h, "F-5", PAYEE, "7.00"));
        } finally {
            root.detachAppender(log);
        }
    }

    @Test
    void ordersOfOnePayerAtTheSameMomentNeverPassTheLimitsTogether(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, settings("pis.orders.concurrent-consumers", "4",
                "pis.exemption.expiry-warning-days", "50", "pis.exemption.expiry-check-interval-ms", "200"))) {
            var grants = h.session.createConsumer(h.session.createQueue("pis.grants"));
            approvedSca(h, "C-0", "100.00");

            // a refresh token lives 45 days: with a 50-day warning period its warning comes at once
            var warning = FlowHarness.JSON.readValue(((jakarta.jms.TextMessage) grants.receive(30_000)).getText(), Map.class);
            assertThat(warning).containsEntry("event", "GRANT_EXPIRING").containsEntry("payerIban", PAYER);

            // six of 29 EUR at once: three fit below 100 EUR, three need SCA
            List<String> big = List.of("C-1", "C-2", "C-3", "C-4", "C-5", "C-6");
            for (String id : big) {
                h.send(FlowHarness.order(id, null, 0, PAYER, PAYEE, "29.00"));
            }
            var events = h.eventsUntil(big, List.of("AWAITING_SCA"), 240);
            assertThat(big.stream().filter(id -> "COMPLETED".equals(FlowHarness.lastState(events.get(id))))).hasSize(3);
            assertThat(big.stream().filter(id -> "AWAITING_SCA".equals(FlowHarness.lastState(events.get(id))))).hasSize(3);
            Map<String, Object> sca = h.scaEventFor("87.00");
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).body()).contains("Payments authorised");

            // after that SCA, eight of 1 EUR at once: five without SCA, three with
            List<String> small = List.of("C-11", "C-12", "C-13", "C-14", "C-15", "C-16", "C-17", "C-18");
            for (String id : small) {
                h.send(FlowHarness.order(id, null, 0, PAYER, PAYEE, "1.00"));
            }
            var smallEvents = h.eventsUntil(small, List.of("AWAITING_SCA"), 240);
            assertThat(small.stream().filter(id -> "COMPLETED".equals(FlowHarness.lastState(smallEvents.get(id))))).hasSize(5);
            assertThat(small.stream().filter(id -> "AWAITING_SCA".equals(FlowHarness.lastState(smallEvents.get(id))))).hasSize(3);
            // the bank counted exactly those five on the latest SCA's grant
            assertThat(liveRefreshTokens(h).stream().max(java.util.Comparator.comparing(t -> t.scaAt))).hasValueSatisfying(t -> {
                assertThat(t.exemptionCount).isEqualTo(5);
                assertThat(t.exemptionTotal).isEqualByComparingTo("5.00");
            });
        }
    }
}
