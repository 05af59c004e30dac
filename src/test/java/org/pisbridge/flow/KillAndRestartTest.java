package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.runtime.ChildJvm;
import org.pisbridge.runtime.FreePorts;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.model.SandboxPayment;

/**
 * The runtime killed with SIGKILL at several points of one batch's flow — while creating the
 * payments, while the bundle waits for SCA, while a submission is in flight, while statuses are
 * polled — and started again each time: every order still ends COMPLETED and the bank's ledger
 * holds each payment once, booked once.
 */
class KillAndRestartTest {
    private static final List<String> ORDERS = List.of("K-1", "K-2", "K-3");

    @Test
    void killedAtAnyPointTheBatchStillCompletesOnce(@TempDir Path dir) throws Exception {
        int httpPort = FreePorts.next();
        int brokerPort = FreePorts.next();
        SandboxSettings d = SandboxSettings.defaults(dir.resolve("sandbox"));
        SandboxSettings bankSettings = new SandboxSettings(d.dataDir(), d.host(), 0, 0, d.financialId(), d.users(),
                4, d.rejectAbove(), d.codeTtl(), d.accessTokenTtl(), d.refreshTokenTtl(), d.persistent(),
                List.of("http://localhost:" + httpPort + "/oauth/callback"));
        try (SandboxBank bank = SandboxBank.start(bankSettings)) {
            Map<String, String> settings = new HashMap<>(FlowHarness.runtimeSettings(dir, bank, httpPort, brokerPort));
            settings.put("pis.track.first-interval-seconds", "1");
            settings.put("pis.track.max-interval-seconds", "1");

            // 1. killed while the payments are being created
            bank.faults().delay("POST", "/payments-psd2/v1/sepa-payments", Duration.ofMillis(400), 3);
            ChildJvm run1 = ChildJvm.start(dir, settings, "run");
            send(brokerPort, run1);
            awaitOrKill(run1, () -> batchPayments(bank).size() >= 1, "a first payment created");
            run1.kill();
            run1.exitCode(60);

            // 2. killed while the bundle waits for SCA
            ChildJvm run2 = ChildJvm.start(dir, settings, "run");
            Map<String, Object> sca = scaEvent(brokerPort, run2);
            assertThat(batchPayments(bank)).hasSize(3);
            run2.kill();
            run2.exitCode(60);

            // 3. the SCA comes back to a new process; killed while a submission is in flight
            bank.faults().delay("PUT", "/payments-psd2/v1/sepa-payments", Duration.ofSeconds(2), 1);
            ChildJvm run3 = ChildJvm.start(dir, settings, "run");
            awaitHealthy(httpPort, run3);
            try {
                assertThat(new SimulatedUser(FlowHarness.trust(bank), "88888881", "11221122")
                        .approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
            } catch (IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "\nrun2:\n" + run2.output() + "\nrun3:\n" + run3.output(), e);
            }
            awaitOrKill(run3, () -> batchPayments(bank).stream().anyMatch(p -> p.submissionId != null), "a submission");
            run3.kill();
            run3.exitCode(60);

            // 4. killed while the statuses are being polled
            ChildJvm run4 = ChildJvm.start(dir, settings, "run");
            awaitOrKill(run4, () -> batchPayments(bank).stream().allMatch(p -> p.submissionId != null)
                    && batchPayments(bank).stream().anyMatch(p -> p.status.name().equals("Submitted")), "polling");
            run4.kill();
            run4.exitCode(60);

            // 5. the last start finishes the work
            try (ChildJvm run5 = ChildJvm.start(dir, settings, "run")) {
                Map<String, String> finalStates = finalStates(brokerPort, run5);
                assertThat(finalStates).containsOnlyKeys(ORDERS).allSatisfy((id, state) -> assertThat(state).isEqualTo("COMPLETED"));
            }
            List<SandboxPayment> payments = batchPayments(bank);
            assertThat(payments).hasSize(3);
            for (SandboxPayment p : payments) {
                assertThat(bank.bookings(p.paymentId)).as("bookings of %s", p.paymentId).isEqualTo(1);
                assertThat(p.status.name()).isEqualTo("Credited");
            }
        }
    }

    private static List<SandboxPayment> batchPayments(SandboxBank bank) {
        return bank.state().payments.values().stream().filter(p -> p.message != null && p.message.contains("K-")).toList();
    }

    private static void send(int brokerPort, ChildJvm child) throws Exception {
        try (Connection c = connect(brokerPort, child)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String id : ORDERS) {
                s.createProducer(s.createQueue("pis.orders")).send(s.createTextMessage(FlowHarness.JSON.writeValueAsString(
                        FlowHarness.order(id, "K", 3, "FI4950009420028730", "FI9112345600000786", "40.00"))));
            }
        }
    }

    private static Map<String, Object> scaEvent(int brokerPort, ChildJvm child) throws Exception {
        try (Connection c = connect(brokerPort, child)) {
            c.start();
            MessageConsumer sca = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(
                    c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("pis.sca"));
            for (int i = 0; i < 120; i++) {
                Message m = sca.receive(500);
                if (m instanceof TextMessage t) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> event = FlowHarness.JSON.readValue(t.getText(), Map.class);
                    return event;
                }
            }
        }
        throw new AssertionError("no SCA event; runtime output:\n" + child.output());
    }

    private static Map<String, String> finalStates(int brokerPort, ChildJvm child) throws Exception {
        Map<String, String> states = new HashMap<>();
        try (Connection c = connect(brokerPort, child)) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer status = s.createConsumer(s.createQueue("pis.status"));
            for (int i = 0; i < 240 && !(states.size() == ORDERS.size()
                    && states.values().stream().allMatch(v -> org.pisbridge.orders.OrderState.valueOf(v).isFinal())); i++) {
                Message m = status.receive(500);
                if (m instanceof TextMessage t) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> e = FlowHarness.JSON.readValue(t.getText(), Map.class);
                    states.put(e.get("orderId").toString(), e.get("state").toString());
                }
            }
        }
        return states;
    }

    /** Connects to the child's embedded broker once it listens (bounded number of tries). */
    private static Connection connect(int brokerPort, ChildJvm child) throws Exception {
        ActiveMQConnectionFactory factory = FlowHarness.brokerClient(brokerPort,
                "?retryInterval=200&reconnectAttempts=0&initialConnectAttempts=150");
        try {
            return factory.createConnection();
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError("broker of the runtime not reachable; output:\n" + child.output(), e);
        }
    }

    private static void awaitHealthy(int httpPort, ChildJvm child) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 300; i++) {
            try {
                if (client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("runtime did not become healthy; output:\n" + child.output());
    }

    private static void awaitOrKill(ChildJvm child, BooleanSupplier condition, String what) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        child.kill();
        throw new AssertionError("never reached: " + what + "; output:\n" + child.output());
    }
}
