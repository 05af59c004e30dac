package org.pisbridge.flow;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.pisbridge.runtime.ChildJvm;

/** The embedded broker of a runtime in a child JVM, as the kill tests' ERP uses it; each wait bounded. */
final class ChildBroker {
    private ChildBroker() {
    }

    /** Sends one batch of orders, each of {@code amount} EUR. */
    static void send(int brokerPort, ChildJvm child, String batchId, List<String> ids, String amount) throws Exception {
        try (Connection c = connect(brokerPort, child)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String id : ids) {
                s.createProducer(s.createQueue("pis.orders")).send(s.createTextMessage(FlowHarness.JSON.writeValueAsString(
                        FlowHarness.order(id, batchId, ids.size(), "FI4950009420028730", "FI9112345600000786", amount))));
            }
        }
    }

    static Map<String, Object> scaEvent(int brokerPort, ChildJvm child) throws Exception {
        try (Connection c = connect(brokerPort, child)) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer sca = s.createConsumer(s.createQueue("pis.sca"));
            for (int i = 0; i < 240; i++) {
                if (sca.receive(500) instanceof TextMessage t) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> event = FlowHarness.JSON.readValue(t.getText(), Map.class);
                    return event;
                }
            }
        }
        throw new AssertionError("no SCA event; runtime output:\n" + child.output());
    }

    /** The last state of each order, once every one is final (or the waits ran out). */
    static Map<String, String> finalStates(int brokerPort, ChildJvm child, List<String> ids) throws Exception {
        Map<String, String> states = new HashMap<>();
        try (Connection c = connect(brokerPort, child)) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer status = s.createConsumer(s.createQueue("pis.status"));
            for (int i = 0; i < 240 && !(states.size() == ids.size()
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
    static Connection connect(int brokerPort, ChildJvm child) throws Exception {
        ActiveMQConnectionFactory factory = FlowHarness.brokerClient(brokerPort,
                "?retryInterval=200&reconnectAttempts=0&initialConnectAttempts=150");
        try {
            return factory.createConnection();
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError("broker of the runtime not reachable; output:\n" + child.output(), e);
        }
    }
}
