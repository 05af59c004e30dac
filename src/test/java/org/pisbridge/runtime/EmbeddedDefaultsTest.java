package org.pisbridge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.pisbridge.flow.FlowHarness;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.io.TempDir;

/** The runtime on its embedded defaults: H2 file store, Artemis over TCP (its login required), HTTP server. */
class EmbeddedDefaultsTest {

    @Test
    void startsEmbeddedPartsAndAnswersHealth(@TempDir Path data) throws Exception {
        int http = FreePorts.next();
        int broker = FreePorts.next();
        // the bank is the sandbox, started here and configured like an external bank: the runtime
        // needs bank material to start, and a fresh checkout has none under data/
        SandboxBank bank = SandboxBank.start(SandboxSettings.defaults(data.resolve("sandbox")));
        Map<String, String> settings = new java.util.HashMap<>(FlowHarness.runtimeSettings(data, bank, http, broker));
        settings.put("pis.db.url", org.pisbridge.store.Database.h2FileUrl(data.resolve("db/pis")));
        settings.put("pis.console.users-file", data.resolve("users").toString());
        settings.put("pis.console.api-tokens-file", data.resolve("tokens").toString());
        PisBridgeRuntime runtime = new PisBridgeRuntime(Path.of("config/application.properties"), settings);
        runtime.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
            // readiness: an operator's token learns which check says what, anyone else UP or DOWN
            String token = new org.pisbridge.web.OperatorLogins(data.resolve("users"), data.resolve("tokens")).issueToken("probe");
            // ready once every consumer has polled (the inbox after its first delay): asked a bounded number of times
            HttpResponse<String> detailed = null;
            for (int i = 0; i < 60 && (detailed == null || detailed.statusCode() != 200); i++) {
                Thread.sleep(detailed == null ? 0 : 500);
                detailed = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health/ready"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            }
            assertThat(detailed.body()).contains("\"database\":{\"state\":\"UP\"", "\"broker\":{\"state\":\"UP\"",
                    "\"bank\":{\"state\":\"UP\"", "\"bank-jwks\":{\"state\":\"UP\"", "\"client-certificate\":{\"state\":\"UP\"");
            assertThat(detailed.statusCode()).as(detailed.body()).isEqualTo(200);
            HttpResponse<String> ready = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");

            // the broker really listens on TCP and keeps messages in its journal under the data dir; it
            // takes the login the runtime generated into its owner-only file
            Path login = Path.of("data/keys/broker.properties");
            assertThat(java.nio.file.Files.getPosixFilePermissions(login))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            ConnectionFactory tcp = RuntimeInfrastructure.brokerClient(new RuntimeSettings(runtime.context()));
            try (Connection c = tcp.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createProducer(s.createQueue("probe")).send(s.createTextMessage("hello"));
                MessageConsumer consumer = s.createConsumer(s.createQueue("probe"));
                assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("hello");
            }
            assertThat(Files.isDirectory(data.resolve("artemis/journal"))).isTrue();

            // any other local process: no login, or a wrong one, is refused
            ActiveMQConnectionFactory anonymous = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + broker);
            assertThatThrownBy(() -> anonymous.createConnection().close()).isInstanceOf(JMSSecurityException.class);
            ActiveMQConnectionFactory guessing = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + broker);
            guessing.setUser(BrokerCredentials.USER);
            guessing.setPassword("guess");
            assertThatThrownBy(() -> guessing.createConnection().close()).isInstanceOf(JMSSecurityException.class);
            assertThat(data.resolve("db/pis.mv.db")).exists();
        } finally {
            runtime.stop();
            bank.close();
        }
    }
}
