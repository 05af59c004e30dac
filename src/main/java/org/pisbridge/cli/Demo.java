package org.pisbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.pisbridge.runtime.PisBridgeRuntime;
import org.pisbridge.runtime.RuntimeInfrastructure;
import org.pisbridge.runtime.RuntimeSettings;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.TppMaterial;

/**
 * {@code pis-bridge demo}: the runtime on its embedded defaults, a sample batch of three orders
 * on {@code pis.orders}, the simulated user approving the batch's SCA through the sandbox bank's
 * real login and consent pages, and a summary of every order's final state from {@code pis.status}.
 * Exits 0 only when every order reached a final state.
 */
final class Demo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FINAL = java.util.Arrays.stream(org.pisbridge.orders.OrderState.values())
            .filter(org.pisbridge.orders.OrderState::isFinal).map(Enum::name).toList();

    private Demo() {
    }

    static int run(Path config) throws Exception {
        LocalSandboxBank sandbox = new LocalSandboxBank();
        PisBridgeRuntime runtime = new PisBridgeRuntime(config, sandbox);
        runtime.start();
        try {
            RuntimeSettings s = new RuntimeSettings(runtime.context());
            if (sandbox.bank() == null) {
                System.err.println("The demo runs against the embedded sandbox bank: set pis.sandbox.enabled=true");
                return 2;
            }
            return runBatch(RuntimeInfrastructure.brokerClient(s), s, TppMaterial.load(LocalSandboxBank.tppDir(s)));
        } finally {
            runtime.stop();
        }
    }

    private static int runBatch(ActiveMQConnectionFactory factory, RuntimeSettings s, TppMaterial tpp) throws Exception {
        String batchId = "demo-" + Instant.now().toEpochMilli();
        List<Map<String, Object>> orders = List.of(
                order(batchId, 1, "FI9112345600000786", "Äijälä Consulting Oy", "1250.00", "Invoice 2026-118"),
                order(batchId, 2, "FI2940000000000011", "Öster & Son Ab", "89.90", "Invoice 77812"),
                order(batchId, 3, "FI2840000000000029", "Rovaniemi Office Supplies", "12.35", "Order 5521"));
        Map<String, Map<String, Object>> finalEvents = new LinkedHashMap<>();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer scaEvents = session.createConsumer(session.createQueue(s.string("pis.sca.queue", "pis.sca")));
            MessageConsumer statusEvents = session.createConsumer(session.createQueue(s.string("pis.status.queue", "pis.status")));
            MessageProducer producer = session.createProducer(session.createQueue(s.string("pis.orders.queue", "pis.orders")));
            for (Map<String, Object> o : orders) {
                producer.send(session.createTextMessage(JSON.writeValueAsString(o)));
            }
            System.out.printf("Sent batch %s: %d orders to %s%n", batchId, orders.size(), s.string("pis.orders.queue", "pis.orders"));

            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            boolean approved = false;
            while (finalEvents.size() < orders.size() && Instant.now().isBefore(deadline)) {
                if (!approved) {
                    Map<String, Object> sca = json(scaEvents.receive(500));
                    if (sca != null) {
                        System.out.printf("SCA required: %s payment(s), EUR %s; the simulated user approves at %s%n",
                                sca.get("count"), sca.get("totalEUR"), sca.get("link"));
                        SimulatedUser.Outcome outcome = new SimulatedUser(tpp.trustContext(), "88888881", "11221122")
                                .approve(URI.create(sca.get("link").toString()));
                        System.out.printf("Bank login and consent done; callback answered HTTP %d%n", outcome.status());
                        approved = true;
                    }
                }
                Map<String, Object> event = json(statusEvents.receive(500));
                if (event != null && event.get("orderId").toString().startsWith(batchId)) {
                    System.out.printf("  %-22s %-14s %s%n", event.get("orderId"), event.get("state"),
                            event.get("bankStatus") == null ? "" : event.get("bankStatus"));
                    if (FINAL.contains(String.valueOf(event.get("state")))) {
                        finalEvents.put(event.get("orderId").toString(), event);
                    }
                }
            }
        }
        System.out.println();
        System.out.printf("%-22s %10s %-38s %-12s %s%n", "order", "amount", "paymentId", "state", "bank status / reason");
        for (Map<String, Object> o : orders) {
            Map<String, Object> e = finalEvents.get(o.get("orderId").toString());
            System.out.printf("%-22s %10s %-38s %-12s %s%n", o.get("orderId"), o.get("amountEUR"),
                    e == null ? "-" : e.get("paymentId"), e == null ? "NOT FINAL" : e.get("state"),
                    e == null ? "" : e.get("reason") != null ? e.get("reason") : e.get("bankStatus"));
        }
        boolean allFinal = finalEvents.size() == orders.size();
        System.out.println(allFinal ? "Every payment reached a final state." : "Some payments did not reach a final state.");
        return allFinal ? 0 : 1;
    }

    private static Map<String, Object> order(String batchId, int n, String payee, String name, String amount, String message) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("orderId", batchId + "-" + n);
        o.put("batchId", batchId);
        o.put("batchSize", 3);
        o.put("payer", Map.of("iban", "FI4950009420028730"));
        o.put("payee", Map.of("iban", payee, "name", name));
        o.put("amountEUR", amount);
        o.put("message", message);
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Message m) throws JMSException, java.io.IOException {
        return m instanceof TextMessage t ? JSON.readValue(t.getText(), Map.class) : null;
    }
}
