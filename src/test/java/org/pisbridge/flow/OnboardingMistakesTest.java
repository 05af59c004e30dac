package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.jose.SigningKeyFiles;
import org.pisbridge.sandbox.SimulatedUser;

/**
 * The usual onboarding mistakes, made against the sandbox bank: the bank's refusal reaches the
 * order's status with the bank's own words and what to check on this side.
 */
class OnboardingMistakesTest {

    @Test
    void wrongAudienceTheBankRefusesTheRequestObjectAndTheReasonNamesTheSetting(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bank.audience", "https://api.wrong-bank.example"))) {
            Map<String, Object> sca = h.singleOrderAwaitingSca("aud-1", "14.00");
            SimulatedUser.Outcome outcome = h.user().approve(URI.create(sca.get("link").toString()));
            assertThat(outcome.parameters()).containsEntry("error", "invalid_request");

            // the attempt ends and the bundle waits for the set-up to be fixed; the event says what to fix
            Map<String, Object> last = h.nextReasonIn("aud-1", "AWAITING_SCA", 60);
            assertThat(last.get("reason").toString())
                    .contains("invalid_request", "aud must be " + h.bank.apiBaseUrl(), "pis.bank.audience",
                            "https://api.wrong-bank.example");
            h.bank.state().payments.values().forEach(p -> assertThat(h.bank.bookings(p.paymentId)).isZero());
        }
    }

    @Test
    void signingKeyTheBankDoesNotKnowPaymentCreationRefusedAndTheReasonNamesTheKey(@TempDir Path dir) throws Exception {
        Path otherKey = SigningKeyFiles.newEcKey(dir.resolve("not-registered.pem"));

        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.bank.signing-key", otherKey.toString()))) {
            h.send(FlowHarness.order("key-1", "key-batch", 1, "FI4950009420028730", "FI9112345600000786", "15.00"));

            Map<String, Object> last = h.finalEvent("key-1");
            assertThat(last.get("state")).isEqualTo("FAILED");
            assertThat(last.get("reason").toString())
                    .contains("HTTP 401", "x-jws-signature", "kid " + h.bank.tpp().signingKid(), "JWK thumbprint",
                            "pis-bridge register --update");
            assertThat(h.nextScaEvent(1000)).isNull();
        }
    }
}
