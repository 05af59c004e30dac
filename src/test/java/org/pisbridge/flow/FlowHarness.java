package org.pisbridge.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.pisbridge.runtime.FreePorts;
import org.pisbridge.runtime.PisBridgeRuntime;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;

/**
 * The whole product on loopback for a test: the sandbox bank (real mTLS HTTPS) in this JVM,
 * and the runtime configured against it as against any external bank, with its embedded
 * Artemis broker (reached over TCP by the test's own JMS client) and an H2 file store.
 */
public final class FlowHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final SandboxBank bank;
    final PisBridgeRuntime runtime;
    final int httpPort;
    final int brokerPort;
    private final Connection jms;
    final Session session;
    private final MessageConsumer status;
    private final MessageConsumer sca;

    FlowHarness(Path dir, Map<String, String> extra) throws Exception {
        this(dir, extra, java.util.function.UnaryOperator.identity());
    }

    /** @param bankSettings changes to the sandbox bank's default settings (e.g. its ID-token algorithm) */
    FlowHarness(Path dir, Map<String, String> extra, java.util.function.UnaryOperator<SandboxSettings> bankSettings)
            throws Exception {
        httpPort = FreePorts.next();
        brokerPort = FreePorts.next();
        String redirect = "http://localhost:" + httpPort + "/oauth/callback";
        bank = SandboxBank.start(bankSettings.apply(SandboxSettings.defaults(dir.resolve("sandbox"))
                .withRedirectUris(List.of(redirect))));
        Map<String, String> s = runtimeSettings(dir, bank, httpPort, brokerPort);
        s.putAll(extra);
        runtime = new PisBridgeRuntime(Path.of("config/application.properties"), s);
        runtime.start();
        jms = brokerClient(brokerPort).createConnection();
        jms.start();
        session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
        status = session.createConsumer(session.createQueue("pis.status"));
        sca = session.createConsumer(session.createQueue("pis.sca"));
    }

    /** Settings that point a runtime at {@code bank} as at an external bank, with its own ports and data. */
    public static Map<String, String> runtimeSettings(Path dir, SandboxBank bank, int httpPort, int brokerPort) {
        Map<String, String> s = new HashMap<>(org.pisbridge.cli.SandboxedRuntime.settings(dir, bank, httpPort, brokerPort));
        s.put("pis.flow.interval-ms", "200");
        s.put("pis.bundles.check-interval-ms", "200");
        s.put("pis.status.publish-interval-ms", "100");
        s.put("pis.bank.retry-delay-ms", "50");
        // the default flow's tests pay small amounts after an SCA: the exemption flow's tests switch it on
        s.put("pis.exemption.enabled", "false");
        return s;
    }

    /**
     * A client of the embedded broker on {@code brokerPort} (URL options may follow the port) with the
     * login the runtimes generate (the default file, shared by the tests' runtimes and commands): the
     * broker refuses connections without it. Waits a bounded number of times for a runtime starting in
     * another JVM to write it.
     */
    public static ActiveMQConnectionFactory brokerClient(int brokerPort, String... urlOptions) throws InterruptedException {
        Path file = Path.of("data/keys/broker.properties");
        for (int i = 0; i < 600 && !java.nio.file.Files.exists(file); i++) {
            Thread.sleep(100);
        }
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort + String.join("", urlOptions));
        org.pisbridge.runtime.BrokerCredentials.load(file).ifPresent(login -> {
            factory.setUser(login.user());
            factory.setPassword(login.password());
        });
        return factory;
    }

    void send(Map<String, Object> order) throws Exception {
        session.createProducer(session.createQueue("pis.orders")).send(session.createTextMessage(JSON.writeValueAsString(order)));
    }

    /** A request to the runtime over its broker, as an ERP sends it (text, JMSReplyTo), and its one-line answer. */
    String request(String queue, String text) throws Exception {
        jakarta.jms.TemporaryQueue answers = session.createTemporaryQueue();
        jakarta.jms.TextMessage request = session.createTextMessage(text);
        request.setJMSReplyTo(answers);
        session.createProducer(session.createQueue(queue)).send(request);
        Message answer = session.createConsumer(answers).receive(60_000);
        org.assertj.core.api.Assertions.assertThat(answer).as("an answer to %s on %s", text, queue).isNotNull();
        org.assertj.core.api.Assertions.assertThat(answer.getStringProperty("Authorization")).isNull();
        return ((jakarta.jms.TextMessage) answer).getText();
    }

    /** The next "SCA required" event, waiting at most {@code millis}. */
    Map<String, Object> nextScaEvent(long millis) throws Exception {
        return json(sca.receive(millis));
    }

    /** Status events until every given order has a final one (or a bounded number of waits ran out). */
    Map<String, List<Map<String, Object>>> eventsUntilFinal(List<String> orderIds, int maxWaits) throws Exception {
        return eventsUntil(orderIds, List.of(), maxWaits);
    }

    /**
     * Status events until every given order has a final one or one in a state of {@code orStates}
     * (or a bounded number of waits ran out).
     */
    Map<String, List<Map<String, Object>>> eventsUntil(List<String> orderIds, List<String> orStates, int maxWaits) throws Exception {
        Map<String, List<Map<String, Object>>> events = new LinkedHashMap<>();
        orderIds.forEach(id -> events.put(id, new ArrayList<>()));
        for (int i = 0; i < maxWaits && !allDone(events, orStates); i++) {
            Message m = status.receive(500);
            Map<String, Object> e = json(m);
            if (e != null && events.containsKey(e.get("orderId"))) {
                org.assertj.core.api.Assertions.assertThat(m.getJMSCorrelationID()).isEqualTo(e.get("orderId"));
                events.get(e.get("orderId")).add(e);
            }
        }
        if (!allDone(events, orStates)) {
            ThreadDump.print("orders not final after " + maxWaits + " waits");
        }
        return events;
    }

    /** The next status event in {@code state}, whatever order it is for (bounded wait). */
    Map<String, Object> nextEventInState(String state, int maxWaits) throws Exception {
        for (int i = 0; i < maxWaits; i++) {
            Map<String, Object> e = json(status.receive(500));
            if (e != null && state.equals(e.get("state"))) {
                return e;
            }
        }
        throw new AssertionError("no " + state + " event");
    }

    /** The next event of this order in {@code state} that carries a reason (bounded wait). */
    Map<String, Object> nextReasonIn(String orderId, String state, int maxWaits) throws Exception {
        for (int i = 0; i < maxWaits; i++) {
            Map<String, Object> e = json(status.receive(500));
            if (e != null && orderId.equals(e.get("orderId")) && state.equals(e.get("state")) && e.get("reason") != null) {
                return e;
            }
        }
        throw new AssertionError("no " + state + " event with a reason for " + orderId);
    }

    static String lastState(List<Map<String, Object>> events) {
        return events.isEmpty() ? null : String.valueOf(events.get(events.size() - 1).get("state"));
    }

    private static boolean allDone(Map<String, List<Map<String, Object>>> events, List<String> orStates) {
        return events.values().stream().allMatch(list -> !list.isEmpty()
                && (org.pisbridge.orders.OrderState.valueOf(lastState(list)).isFinal() || orStates.contains(lastState(list))));
    }

    static Map<String, Object> order(String orderId, String batchId, int batchSize, String payer, String payee, String amount) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("orderId", orderId);
        if (batchId != null) {
            o.put("batchId", batchId);
            o.put("batchSize", batchSize);
        }
        o.put("payer", Map.of("iban", payer));
        o.put("payee", Map.of("iban", payee, "name", "Payee of " + orderId));
        o.put("amountEUR", amount);
        o.put("message", "Test payment " + orderId);
        return o;
    }

    /** The next "SCA required" event for a bundle of this total (events of other bundles are passed over). */
    Map<String, Object> scaEventFor(String totalEur) throws Exception {
        return scaEventFor(totalEur, 60);
    }

    /** As {@link #scaEventFor(String)}, waiting at most {@code maxWaits} half-seconds. */
    Map<String, Object> scaEventFor(String totalEur, int maxWaits) throws Exception {
        for (int i = 0; i < maxWaits; i++) {
            Map<String, Object> sca = nextScaEvent(500);
            if (sca != null && new java.math.BigDecimal(totalEur).compareTo(new java.math.BigDecimal(sca.get("totalEUR").toString())) == 0) {
                return sca;
            }
        }
        throw new AssertionError("no SCA event for EUR " + totalEur);
    }

    /** Sends a one-order batch and waits for its "SCA required" event. */
    Map<String, Object> singleOrderAwaitingSca(String orderId, String amount) throws Exception {
        send(order(orderId, "batch-" + orderId, 1, "FI4950009420028730", "FI9112345600000786", amount));
        // events of earlier tests' bundles may still be queued: take the one for this amount
        return scaEventFor(amount);
    }

    org.pisbridge.sandbox.SimulatedUser user() throws Exception {
        return new org.pisbridge.sandbox.SimulatedUser(bankTrust(), "88888881", "11221122");
    }

    /** The final state of one order (bounded wait). */
    Map<String, Object> finalEvent(String orderId) throws Exception {
        List<Map<String, Object>> events = eventsUntilFinal(List.of(orderId), 120).get(orderId);
        org.assertj.core.api.Assertions.assertThat(events).as("events of %s", orderId).isNotEmpty();
        return events.get(events.size() - 1);
    }

    SSLContext bankTrust() throws Exception {
        return trust(bank);
    }

    /** Trusts the sandbox bank's CA, as a browser of the bank's customer would. */
    static SSLContext trust(SandboxBank bank) throws Exception {
        return bank.tpp().trustContext();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Message m) throws JMSException, java.io.IOException {
        return m instanceof TextMessage t ? JSON.readValue(t.getText(), Map.class) : null;
    }

    @Override
    public void close() throws Exception {
        try {
            jms.close();
        } finally {
            try {
                runtime.stop();
            } finally {
                bank.close();
            }
        }
    }
}
