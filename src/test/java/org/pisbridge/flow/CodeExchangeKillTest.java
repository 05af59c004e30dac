package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.runtime.ChildJvm;
import org.pisbridge.runtime.FreePorts;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.SandboxPayment;

/**
 * The runtime killed at three points of the authorization code exchange. Waiting for the bank's
 * answer, or with the answer arrived but not yet stored: the bank spent the code and issued tokens
 * that are lost. After the restart the approved batch is not stranded: the bank shows the
 * authorization approved, so it is revoked, its payments are created again under a new idempotency
 * generation, a new SCA is asked for, and after it every order is paid exactly once; the first
 * payments are never booked. With the answer stored but not yet validated: the restarted runtime
 * completes the SCA from the stored answer, no new SCA needed.
 */
class CodeExchangeKillTest {

    @Test
    void killedDuringTheCodeExchangeTheBatchIsPaidOnceAfterANewSca(@TempDir Path dir) throws Exception {
        int httpPort = FreePorts.next();
        int brokerPort = FreePorts.next();
        SandboxSettings d = SandboxSettings.defaults(dir.resolve("sandbox"));
        SandboxSettings bankSettings = d.withRedirectUris(List.of("http://localhost:" + httpPort + "/oauth/callback"));
        try (SandboxBank bank = SandboxBank.start(bankSettings)) {
            Map<String, String> settings = new HashMap<>(FlowHarness.runtimeSettings(dir, bank, httpPort, brokerPort));
            settings.put("pis.sca.exchange-lost-after-seconds", "3");
            settings.put("pis.track.max-interval-seconds", "1");

            ChildJvm run1 = ChildJvm.start(dir, settings, "run");
            ChildBroker.send(brokerPort, run1, "X", List.of("X-1", "X-2"), "30.00");
            Map<String, Object> sca = ChildBroker.scaEvent(brokerPort, run1);
            // the code exchange is held at the bank; the runtime dies while it waits for the answer
            bank.faults().delay("POST", "/oauth/token", Duration.ofSeconds(3), 1);
            Thread user = new Thread(() -> {
                try {
                    new SimulatedUser(FlowHarness.trust(bank), "88888881", "11221122").approve(URI.create(sca.get("link").toString()));
                } catch (Exception expected) {
                    // the runtime is killed under the user's browser
                }
            });
            user.start();
            for (int i = 0; i < 600 && bank.faults().armed() > 0; i++) {
                Thread.sleep(20);
            }
            assertThat(bank.faults().armed()).as("the code exchange reached the bank").isZero();
            run1.kill();
            run1.exitCode(60);
            user.join(30_000);
            List<SandboxPayment> first = payments(bank);
            assertThat(first).hasSize(2);

            try (ChildJvm run2 = ChildJvm.start(dir, settings, "run")) {
                Map<String, Object> again = ChildBroker.scaEvent(brokerPort, run2);
                assertThat(again.get("bundleId")).isNotEqualTo(sca.get("bundleId"));
                assertThat(again.get("count")).isEqualTo(2);
                assertThat(new SimulatedUser(FlowHarness.trust(bank), "88888881", "11221122")
                        .approve(URI.create(again.get("link").toString())).status()).isEqualTo(200);
                Map<String, String> states = ChildBroker.finalStates(brokerPort, run2, List.of("X-1", "X-2"));
                assertThat(states).as("runtime output:\n%s", run2.output()).containsOnlyKeys("X-1", "X-2")
                        .allSatisfy((id, state) -> assertThat(state).isEqualTo("COMPLETED"));
            }
            for (SandboxPayment p : first) {
                assertThat(bank.bookings(p.paymentId)).as("first generation %s", p.paymentId).isZero();
            }
            assertThat(payments(bank)).hasSize(4);
            assertThat(payments(bank).stream().mapToInt(p -> bank.bookings(p.paymentId)).sum()).isEqualTo(2);
        }
    }

    @Test
    void killedWithTheAnswerArrivedButNotStoredTheBatchIsPaidOnceAfterANewSca(@TempDir Path dir) throws Exception {
        try (SandboxBank bank = bank(dir)) {
            Map<String, Object> first = killedAt(dir, bank, "code-exchange-answered");
            try (ChildJvm run2 = ChildJvm.start(dir, settings(dir, bank), "run")) {
                Map<String, Object> again = ChildBroker.scaEvent(brokerPort, run2);
                assertThat(again.get("bundleId")).isNotEqualTo(first.get("bundleId"));
                assertThat(bank.state().authorizations.get(first.get("authorizationId").toString()).status)
                        .isEqualTo(AuthorizationStatus.Revoked);
                assertThat(new SimulatedUser(FlowHarness.trust(bank), "88888881", "11221122")
                        .approve(URI.create(again.get("link").toString())).status()).isEqualTo(200);
                assertPaidOnce(run2, bank);
            }
            assertThat(payments(bank)).hasSize(4);
        }
    }

    @Test
    void killedWithTheAnswerStoredButNotValidatedTheBatchIsPaidFromIt(@TempDir Path dir) throws Exception {
        try (SandboxBank bank = bank(dir)) {
            killedAt(dir, bank, "code-exchange-stored");
            try (ChildJvm run2 = ChildJvm.start(dir, settings(dir, bank), "run")) {
                assertPaidOnce(run2, bank);
            }
            assertThat(payments(bank)).as("no new generation of payments").hasSize(2);
        }
    }

    private int httpPort;
    private int brokerPort;

    private SandboxBank bank(Path dir) throws Exception {
        httpPort = FreePorts.next();
        brokerPort = FreePorts.next();
        return SandboxBank.start(SandboxSettings.defaults(dir.resolve("sandbox"))
                .withRedirectUris(List.of("http://localhost:" + httpPort + "/oauth/callback")));
    }

    private Map<String, String> settings(Path dir, SandboxBank bank) {
        Map<String, String> settings = new HashMap<>(FlowHarness.runtimeSettings(dir, bank, httpPort, brokerPort));
        settings.put("pis.sca.exchange-lost-after-seconds", "3");
        settings.put("pis.track.max-interval-seconds", "1");
        return settings;
    }

    /** Two orders approved by the user, the runtime halting at the crash point of the exchange; the SCA event. */
    private Map<String, Object> killedAt(Path dir, SandboxBank bank, String crashPoint) throws Exception {
        Map<String, String> crashing = new HashMap<>(settings(dir, bank));
        crashing.put("pis.test.crash-at", crashPoint);
        try (ChildJvm run1 = ChildJvm.start(dir, crashing, "run")) {
            ChildBroker.send(brokerPort, run1, "X", List.of("X-1", "X-2"), "30.00");
            Map<String, Object> sca = ChildBroker.scaEvent(brokerPort, run1);
            try {
                new SimulatedUser(FlowHarness.trust(bank), "88888881", "11221122").approve(URI.create(sca.get("link").toString()));
            } catch (IllegalStateException expected) {
                // the runtime halts under the user's browser
            }
            assertThat(run1.exitCode(60)).as("halted at %s; output:\n%s", crashPoint, run1.output()).isEqualTo(137);
            assertThat(payments(bank)).hasSize(2);
            return sca;
        }
    }

    private void assertPaidOnce(ChildJvm run, SandboxBank bank) throws Exception {
        Map<String, String> states = ChildBroker.finalStates(brokerPort, run, List.of("X-1", "X-2"));
        assertThat(states).as("runtime output:\n%s", run.output()).containsOnlyKeys("X-1", "X-2")
                .allSatisfy((id, state) -> assertThat(state).isEqualTo("COMPLETED"));
        assertThat(payments(bank).stream().mapToInt(p -> bank.bookings(p.paymentId)).sum()).isEqualTo(2);
    }

    private static List<SandboxPayment> payments(SandboxBank bank) {
        return bank.state().payments.values().stream().filter(p -> p.message != null && p.message.contains("X-")).toList();
    }
}
