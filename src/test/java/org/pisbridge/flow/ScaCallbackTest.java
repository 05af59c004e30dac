package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import com.nimbusds.jose.JWSAlgorithm;
import org.pisbridge.sandbox.IdTokenFault;
import org.pisbridge.sandbox.IdTokenShape;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.model.AuthorizationStatus;

/**
 * The SCA callback in the default {@code code id_token} form: every ID-token defect the sandbox
 * can inject is refused (bundle not submitted, reason reported, code not exchanged), as are
 * replays, callbacks from another browser and unknown states; a forged error from a browser that
 * only opened the link ends only its own attempt; the user's rejection at the bank ends the bundle
 * SCA_REJECTED once the bank reports the authorization Rejected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaCallbackTest {
    private FlowHarness h;
    private int n;

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

    @ParameterizedTest
    @EnumSource(IdTokenFault.class)
    void everyIdTokenDefectIsRefused(IdTokenFault fault) throws Exception {
        String orderId = "idt-" + fault + "-" + (++n);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "10.00");
        h.bank.faults().idToken(fault);

        SimulatedUser.Outcome outcome = h.user().approve(URI.create(sca.get("link").toString()));
        assertThat(outcome.status()).isEqualTo(400);
        assertThat(outcome.body()).contains("Payments not authorised");

        Map<String, Object> end = h.finalEvent(orderId);
        assertThat(end.get("state")).isEqualTo("SCA_REJECTED");
        assertThat(end.get("reason").toString()).contains("ID token");
        String authorizationId = sca.get("authorizationId").toString();
        assertThat(h.bank.bookings(end.get("paymentId").toString())).isZero();
        boolean frontChannel = !fault.name().contains("AT_HASH") && !fault.name().contains("RT_HASH");
        // a bad front-channel ID token stops the flow before the code is exchanged
        assertThat(h.bank.state().codes.values().stream()
                .filter(c -> c.authorizationId.equals(authorizationId)).allMatch(c -> c.used))
                .isEqualTo(!frontChannel);
    }

    @Test
    void anIdTokenSignedWithTheBanksNewKeyAfterARolloverIsAccepted() throws Exception {
        String orderId = "rollover-" + (++n);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "10.50");
        // the bank rolls its ID-token key over (RS256 still): the runtime meets an unknown kid and fetches the JWKS again
        h.bank.rollOverIdTokenKey();
        // the runtime fetches a bank's JWKS again at most every few seconds: past that, the new kid is looked up
        Thread.sleep(org.pisbridge.jose.BankKeys.REFETCH_INTERVAL_MS + 500);
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
        assertThat(h.finalEvent(orderId).get("state")).isEqualTo("COMPLETED");
    }

    @Test
    void anIdTokenWhoseAudIsAOneElementArrayIsAccepted() throws Exception {
        String orderId = "aud-array-" + (++n);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "10.75");
        h.bank.faults().idTokenShape(IdTokenShape.AUD_AS_ONE_ELEMENT_ARRAY);
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
        assertThat(h.finalEvent(orderId).get("state")).isEqualTo("COMPLETED");
    }

    /**
     * A bank whose profile signs ID tokens ES256: its tokens are accepted, and an RS256 token signed
     * with another key it publishes (an RSA key) is refused before the code is used.
     */
    @Test
    void underAnEs256ProfileAnRs256TokenSignedWithAnotherPublishedKeyIsRefused(@TempDir Path dir) throws Exception {
        try (FlowHarness es = new FlowHarness(dir, Map.of("pis.bank.id-token-algorithm", "ES256"),
                bank -> bank.withIdTokenAlgorithm(JWSAlgorithm.ES256))) {
            Map<String, Object> good = es.singleOrderAwaitingSca("es-1", "10.80");
            assertThat(es.user().approve(URI.create(good.get("link").toString())).status()).isEqualTo(200);
            assertThat(es.finalEvent("es-1").get("state")).isEqualTo("COMPLETED");

            Map<String, Object> sca = es.singleOrderAwaitingSca("es-2", "10.85");
            es.bank.faults().idToken(IdTokenFault.OTHER_ALGORITHM);
            assertThat(es.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(400);
            Map<String, Object> end = es.finalEvent("es-2");
            assertThat(end.get("state")).isEqualTo("SCA_REJECTED");
            assertThat(end.get("reason").toString()).contains("signed RS256", "ES256");
            String authorizationId = sca.get("authorizationId").toString();
            assertThat(es.bank.state().codes.values().stream().filter(c -> c.authorizationId.equals(authorizationId))
                    .noneMatch(c -> c.used)).as("the code was never exchanged").isTrue();
        }
    }

    @Test
    void userRejectingAtTheBankEndsTheBundleOnceTheBankReportsTheAuthorizationRejected() throws Exception {
        String orderId = "refused-" + (++n);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "11.00");

        SimulatedUser.Outcome outcome = h.user().reject(URI.create(sca.get("link").toString()));
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.body()).contains("Payments not authorised");

        // the error ends the attempt; the bank's own view (Rejected: never approvable again) ends the bundle
        Map<String, Object> end = h.finalEvent(orderId);
        assertThat(end.get("state")).isEqualTo("SCA_REJECTED");
        assertThat(end.get("reason").toString()).contains("access_denied", "Rejected");
        // then withdrawn like any bundle that will not be paid: revoked at the bank where it still lets it
        assertThat(h.bank.state().authorizations.get(sca.get("authorizationId").toString()).status)
                .isIn(AuthorizationStatus.Rejected, AuthorizationStatus.Revoked);
    }

    @Test
    void replayedCallbackAndForeignBrowserAreRefusedAndChangeNothing() throws Exception {
        String orderId = "replay-" + (++n);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "12.00");
        SimulatedUser.Outcome outcome = h.user().approve(URI.create(sca.get("link").toString()));
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(h.finalEvent(orderId).get("state")).isEqualTo("COMPLETED");

        // the same answer posted again, from the same parameters, by another browser (no binding cookie)
        Map<String, String> p = outcome.parameters();
        HttpResponse<String> replay = post("state=" + p.get("state") + "&code=" + p.get("code") + "&id_token=" + p.get("id_token"));
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(replay.body()).contains("Nothing was changed");

        HttpResponse<String> unknown = post("state=nosuchstate&code=x");
        assertThat(unknown.statusCode()).isEqualTo(400);
    }

    @Test
    void aBrowserThatOnlyOpenedTheLinkCannotEndSomeoneElsesAttempt() throws Exception {
        String orderId = "foreign-" + (++n);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "13.00");
        String link = sca.get("link").toString();
        OpenedLink stranger = OpenedLink.open(link);
        OpenedLink other = OpenedLink.open(link);
        assertThat(other.state()).isNotEqualTo(stranger.state());
        assertThat(other.nonce()).isNotEqualTo(stranger.nonce());

        // its own attempt's state with its own cookie: only that attempt ends, the bundle waits
        HttpResponse<String> forged = stranger.post(h.httpPort, "state=" + stranger.state() + "&error=access_denied");
        assertThat(forged.statusCode()).isEqualTo(200);
        assertThat(forged.body()).contains("Nothing was approved");
        // another attempt's state (had it leaked) with the stranger's cookie: refused
        HttpResponse<String> foreign = stranger.post(h.httpPort, "state=" + other.state() + "&error=access_denied");
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> stolen = post("state=" + other.state() + "&code=stolen&id_token=x");
        assertThat(stolen.statusCode()).isEqualTo(403);
        assertThat(h.runtime.context().getRegistry().lookupByNameAndType("orderRecords",
                org.pisbridge.store.OrderRecords.class).bundle(sca.get("bundleId").toString()).orElseThrow().state().name())
                .isEqualTo("AWAITING_SCA");

        // the real user, in a browser of their own, still approves
        assertThat(h.user().approve(URI.create(link)).status()).isEqualTo(200);
        assertThat(h.finalEvent(orderId).get("state")).isEqualTo("COMPLETED");
    }

    private HttpResponse<String> post(String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + h.httpPort + "/oauth/callback"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
