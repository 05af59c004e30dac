package org.pisbridge.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pisbridge.flow.FlowHarness;
import org.pisbridge.runtime.FreePorts;
import org.pisbridge.runtime.PisBridgeRuntime;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.web.OperatorLogins;

/**
 * The runtime against the sandbox bank, with an operator ({@link #OPERATOR}) and an API token for
 * the console, a JMS client of its broker for orders and SCA events, and the simulated bank user.
 */
final class ConsoleRuntime implements AutoCloseable {
    static final String OPERATOR = "alice";
    static final String PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();

    final SandboxBank bank;
    final PisBridgeRuntime runtime;
    final String baseUrl;
    final String apiToken;
    private final Connection jms;
    final Session session;
    private final MessageConsumer sca;

    ConsoleRuntime(Path dir) throws Exception {
        int httpPort = FreePorts.next();
        int brokerPort = FreePorts.next();
        baseUrl = "http://localhost:" + httpPort;
        bank = SandboxBank.start(SandboxSettings.defaults(dir.resolve("sandbox"))
                .withRedirectUris(List.of(baseUrl + "/oauth/callback")));
        Map<String, String> s = new HashMap<>(FlowHarness.runtimeSettings(dir, bank, httpPort, brokerPort));
        s.put("pis.console.users-file", dir.resolve("console-users").toString());
        s.put("pis.console.api-tokens-file", dir.resolve("console-tokens").toString());
        s.put("pis.console.refresh-seconds", "1");
        OperatorLogins logins = new OperatorLogins(dir.resolve("console-users"), dir.resolve("console-tokens"));
        logins.setPassword(OPERATOR, PASSWORD.toCharArray());
        apiToken = logins.issueToken("prometheus");
        runtime = new PisBridgeRuntime(Path.of("config/application.properties"), s);
        runtime.start();
        jms = FlowHarness.brokerClient(brokerPort).createConnection();
        jms.start();
        session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
        sca = session.createConsumer(session.createQueue("pis.sca"));
    }

    /** Sends a batch of orders (amounts given) from one payer. */
    void sendBatch(String batchId, String payer, String... amounts) throws Exception {
        for (int i = 0; i < amounts.length; i++) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("orderId", batchId + "-" + (i + 1));
            o.put("batchId", batchId);
            o.put("batchSize", amounts.length);
            o.put("payer", Map.of("iban", payer));
            o.put("payee", Map.of("iban", "FI9112345600000786", "name", "Payee " + (i + 1)));
            o.put("amountEUR", amounts[i]);
            session.createProducer(session.createQueue("pis.orders")).send(session.createTextMessage(JSON.writeValueAsString(o)));
        }
    }

    /** The next "SCA required" event for a bundle of this total (others passed over; bounded wait). */
    Map<?, ?> scaEventFor(String totalEur) throws Exception {
        for (int i = 0; i < 120; i++) {
            if (sca.receive(500) instanceof TextMessage t) {
                Map<?, ?> event = JSON.readValue(t.getText(), Map.class);
                if (totalEur.equals(event.get("totalEUR"))) {
                    return event;
                }
            }
        }
        throw new AssertionError("no SCA event for EUR " + totalEur);
    }

    SimulatedUser user() throws Exception {
        return new SimulatedUser(bank.tpp().trustContext(), "88888881", "11221122");
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
