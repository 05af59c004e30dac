package org.pisbridge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the timer routes are busy with a batch: the routes stop first, then the store and
 * the broker, and the log shows no error (H2's own exit hook used to close the database under them).
 */
class CleanStopTest {

    @Test
    void sigtermDuringARunLogsNoError(@TempDir Path dir) throws Exception {
        int brokerPort = FreePorts.next();
        Map<String, String> s = childRuntime(dir, FreePorts.next(), brokerPort);
        try (ChildJvm child = ChildJvm.start(dir, s, "run")) {
            Path login = dir.resolve("keys/broker.properties");
            for (int i = 0; i < 1200 && !java.nio.file.Files.exists(login); i++) {
                Thread.sleep(100);
            }
            BrokerCredentials credentials = BrokerCredentials.load(login).orElseThrow(
                    () -> new AssertionError("runtime did not start; output:\n" + child.output()));
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort
                    + "?retryInterval=200&reconnectAttempts=0&initialConnectAttempts=150");
            factory.setUser(credentials.user());
            factory.setPassword(credentials.password());
            try (Connection c = factory.createConnection()) {
                c.start();
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                for (int i = 1; i <= 3; i++) {
                    session.createProducer(session.createQueue("pis.orders")).send(session.createTextMessage(
                            "{\"orderId\":\"STOP-" + i + "\",\"batchId\":\"stop\",\"batchSize\":3,"
                                    + "\"payer\":{\"iban\":\"FI4950009420028730\"},"
                                    + "\"payee\":{\"iban\":\"FI9112345600000786\",\"name\":\"Payee\"},\"amountEUR\":\"10.0" + i + "\"}"));
                }
                Message sca = session.createConsumer(session.createQueue("pis.sca")).receive(120_000);
                assertThat(sca).as("SCA event; output:\n%s", child.output()).isNotNull();
            }

            child.terminate();

            assertThat(child.exitCode(120)).isIn(0, 143);
            String log = child.output();
            assertThat(log).contains("Apache Camel", "shut");
            assertThat(log).doesNotContain(" ERROR ", "Database is already closed", "Exception");
        }
    }

    /** A runtime on its own ports and data, with the sandbox bank started in its JVM. */
    static Map<String, String> childRuntime(Path dir, int httpPort, int brokerPort) {
        Path tpp = dir.resolve("sandbox/tpp");
        Map<String, String> s = new HashMap<>();
        s.put("camel.server.port", String.valueOf(httpPort));
        s.put("pis.http.public-url", "http://localhost:" + httpPort);
        s.put("pis.broker.embedded.port", String.valueOf(brokerPort));
        s.put("pis.broker.embedded.data-dir", dir.resolve("artemis").toString());
        s.put("pis.broker.embedded.credentials-file", dir.resolve("keys/broker.properties").toString());
        s.put("pis.db.url", org.pisbridge.store.Database.h2FileUrl(dir.resolve("db/pis")));
        s.put("pis.sandbox.enabled", "true");
        s.put("pis.sandbox.data-dir", dir.resolve("sandbox").toString());
        s.put("pis.sandbox.api-port", String.valueOf(FreePorts.next()));
        s.put("pis.sandbox.authorize-port", String.valueOf(FreePorts.next()));
        s.put("pis.bank.credentials-file", tpp.resolve("client.properties").toString());
        s.put("pis.bank.keystore", tpp.resolve("client.p12").toString());
        s.put("pis.bank.truststore", tpp.resolve("truststore.p12").toString());
        s.put("pis.bank.signing-key", tpp.resolve("signing-key.pem").toString());
        s.put("pis.tokens.key-file", dir.resolve("keys/token.key").toString());
        s.put("pis.flow.interval-ms", "100");
        s.put("pis.bundles.check-interval-ms", "100");
        s.put("pis.status.publish-interval-ms", "50");
        s.put("pis.exemption.enabled", "false");
        return s;
    }
}
