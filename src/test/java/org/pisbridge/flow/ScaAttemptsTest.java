package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.cli.BundleRequestCommand;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.pisbridge.sandbox.AuthorizeRequestSeen;
import org.pisbridge.sandbox.AuthorizeStep;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.SandboxPayment;

/**
 * A bundle waits for its SCA until approved, cancelled or expired: each opening of its link is an
 * attempt of its own, an error from the bank ends only that attempt, a lost code-exchange answer
 * leads to a new SCA (never a stranded approval), and a cancellation revokes the authorization at
 * the bank and ends the orders CANCELLED, free to be re-submitted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaAttemptsTest {
    private FlowHarness h;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        h = new FlowHarness(dir, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aLinkOpenedAgainInAnotherBrowserIsANewAttemptThatPays() throws Exception {
        Map<String, Object> sca = h.singleOrderAwaitingSca("A-1", "44.00");
        URI link = URI.create(sca.get("link").toString());
        h.user().open(link); // opened, then abandoned at the bank's login page
        assertThat(h.user().approve(link).status()).isEqualTo(200);
        assertThat(h.finalEvent("A-1").get("state")).isEqualTo("COMPLETED");

        List<AuthorizeRequestSeen> seen = h.bank.authorizeRequests().stream()
                .filter(r -> r.authorizationId().equals(sca.get("authorizationId"))).toList();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).nonce()).isNotEqualTo(seen.get(1).nonce());
        assertThat(seen.get(0).state()).isNotEqualTo(seen.get(1).state());
        assertThat(bookings("A-1")).isEqualTo(1);
    }

    @Test
    void twoRacingCallbacksOfOneAttemptExchangeTheCodeOnce() throws Exception {
        Map<String, Object> sca = h.singleOrderAwaitingSca("A-2", "45.00");
        SimulatedUser user = h.user();
        URI callback = user.approveUntilCallback(URI.create(sca.get("link").toString()));
        ExecutorService browsers = Executors.newFixedThreadPool(2);
        try {
            Future<SimulatedUser.Outcome> one = browsers.submit(() -> user.load(callback));
            Future<SimulatedUser.Outcome> two = browsers.submit(() -> user.load(callback));
            assertThat(List.of(one.get(60, TimeUnit.SECONDS).status(), two.get(60, TimeUnit.SECONDS).status()))
                    .containsExactlyInAnyOrder(200, 409);
        } finally {
            browsers.shutdownNow();
        }
        assertThat(h.finalEvent("A-2").get("state")).isEqualTo("COMPLETED");
        assertThat(bookings("A-2")).isEqualTo(1);
    }

    @Test
    void accessDeniedEndsOnlyTheAttemptAndASecondAttemptPays() throws Exception {
        Map<String, Object> sca = h.singleOrderAwaitingSca("A-3", "46.00");
        URI link = URI.create(sca.get("link").toString());
        h.bank.faults().authorizeError(AuthorizeStep.CONSENT, "access_denied", "the user cancelled the approval", 1);
        SimulatedUser.Outcome denied = h.user().approve(link);
        assertThat(denied.status()).isEqualTo(200);
        assertThat(denied.body()).contains("access_denied", "Nothing was approved", "Try again");
        // the order's event in its unchanged state, with the bank's words
        assertThat(h.nextReasonIn("A-3", "AWAITING_SCA", 60).get("reason").toString())
                .contains("access_denied", "the user cancelled the approval");

        assertThat(h.user().approve(link).status()).isEqualTo(200);
        assertThat(h.finalEvent("A-3").get("state")).isEqualTo("COMPLETED");
        assertThat(bookings("A-3")).isEqualTo(1);
    }

    @Test
    void temporarilyUnavailableAtTheAuthorizePageAndAtTheConsentLeavesTheBundleWaiting() throws Exception {
        Map<String, Object> sca = h.singleOrderAwaitingSca("A-4", "47.00");
        URI link = URI.create(sca.get("link").toString());
        h.bank.faults().authorizeError(AuthorizeStep.AUTHORIZE, "temporarily_unavailable", "the bank is busy", 1);
        assertThat(h.user().approve(link).body()).contains("temporarily_unavailable", "Try again");
        h.bank.faults().authorizeError(AuthorizeStep.CONSENT, "temporarily_unavailable", "the bank is busy", 1);
        assertThat(h.user().approve(link).body()).contains("temporarily_unavailable", "Try again");

        assertThat(h.user().approve(link).status()).isEqualTo(200);
        assertThat(h.finalEvent("A-4").get("state")).isEqualTo("COMPLETED");
        assertThat(bookings("A-4")).isEqualTo(1);
    }

    @Test
    void aCancelledBundleIsRevokedAtTheBankEndsCancelledAndCanBeResubmitted() throws Exception {
        Map<String, Object> sca = h.singleOrderAwaitingSca("C-1", "41.00");
        String bundleId = sca.get("bundleId").toString();

        assertThat(h.request("pis.sca.cancel", bundleId)).startsWith("CANCELLED: bundle " + bundleId);
        Map<String, Object> end = h.finalEvent("C-1");
        assertThat(end.get("state")).isEqualTo("CANCELLED");
        assertThat(end.get("reason").toString()).contains("cancelled by request", "revoked at the bank");
        assertThat(h.bank.state().authorizations.get(sca.get("authorizationId").toString()).status)
                .isEqualTo(AuthorizationStatus.Revoked);
        assertThat(linkStatus(sca)).isEqualTo(404);
        assertThat(h.request("pis.sca.cancel", bundleId)).startsWith("REFUSED: bundle " + bundleId + " is CANCELLED");

        assertThat(h.request("pis.orders.resubmit", "C-1")).startsWith("RESUBMITTED: C-1");
        Map<String, Object> again = h.scaEventFor("41.00");
        assertThat(h.user().approve(URI.create(again.get("link").toString())).status()).isEqualTo(200);
        assertThat(h.finalEvent("C-1").get("state")).isEqualTo("COMPLETED");
        assertThat(bookings("C-1")).isEqualTo(1);
    }

    @Test
    void theCancelCommandCancelsAWaitingBundle() throws Exception {
        Map<String, Object> sca = h.singleOrderAwaitingSca("C-2", "42.00");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(BundleRequestCommand.cancel(Path.of("config/application.properties"),
                Map.of("pis.broker.embedded.port", String.valueOf(h.brokerPort), "pis.sandbox.enabled", "false"),
                List.of(sca.get("bundleId").toString()), new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("CANCELLED: bundle " + sca.get("bundleId"));
        assertThat(h.finalEvent("C-2").get("state")).isEqualTo("CANCELLED");
        assertThat(bookings("C-2")).isZero();
    }

    private int linkStatus(Map<String, Object> sca) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sca.get("link").toString())).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private List<SandboxPayment> payments(String orderId) {
        return h.bank.state().payments.values().stream().filter(p -> p.message != null && p.message.contains(orderId + " ")
                || p.message != null && p.message.endsWith(orderId)).toList();
    }

    private int bookings(String orderId) {
        return payments(orderId).stream().mapToInt(p -> h.bank.bookings(p.paymentId)).sum();
    }
}
