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
                "pis.bundles.window-ms", "500"));
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
            assertExempt(h, paid(h, "O-1", OWN, "2500.00"));
            assertExempt(h, paid(h, "O-2", OWN, "31.00"));
            // own-account transfers do not count against the small-payment limits
            assertExempt(h, paid(h, "O-3", PAYEE, "29.99"));
        }
    }
}
