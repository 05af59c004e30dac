package org.pisbridge.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.flow.FlowHarness;
import org.pisbridge.jose.SigningKeyFiles;
import org.pisbridge.runtime.FreePorts;
import org.pisbridge.runtime.PisBridgeRuntime;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.TppMaterial;

/**
 * Onboarding at a bank from zero, as the README tells it: a credentials file holding only the
 * developer API key, PEM key material and a new signing key; {@code keys}, {@code register},
 * {@code --show}, {@code --update}, {@code --delete} and {@code register} again all succeed against
 * the sandbox bank, print nothing that identifies or authenticates the client, and a payment then
 * goes through with the newly registered client.
 */
class OnboardingFromZeroTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void fromAnApiKeyAloneToAPayment() throws Exception {
        int httpPort = FreePorts.next();
        int brokerPort = FreePorts.next();
        SandboxBank bank = SandboxBank.start(SandboxSettings.defaults(dir.resolve("sandbox"))
                .withRedirectUris(List.of("http://localhost:" + httpPort + "/oauth/callback")));
        try {
            Path tpp = bank.tpp().dir();
            Path credentials = dir.resolve("bank/credentials.properties");
            Files.createDirectories(credentials.getParent());
            Files.writeString(credentials, "api-key = " + bank.tpp().apiKey() + "\n");
            Path clientPem = dir.resolve("bank/client.pem");
            Files.writeString(clientPem, Files.readString(tpp.resolve(TppMaterial.CLIENT_CERT_PEM))
                    + Files.readString(tpp.resolve(TppMaterial.CLIENT_KEY_PEM)));
            Map<String, String> settings = new HashMap<>(FlowHarness.runtimeSettings(dir, bank, httpPort, brokerPort));
            settings.put("pis.bank.credentials-file", credentials.toString());
            settings.put("pis.bank.keystore", clientPem.toString());
            settings.put("pis.bank.truststore", tpp.resolve(TppMaterial.CA_PEM).toString());
            settings.put("pis.bank.signing-key", SigningKeyFiles.newEcKey(dir.resolve("bank/signing-key.pem")).toString());
            CommandLine cli = new CommandLine(dir);

            String keys = succeeds(cli.run(settings, "keys"));
            String kid = credential(credentials, "signing-kid");
            assertThat(kid).isNotBlank();
            assertThat(keys).contains("/oauth/callback", "\"kid\":\"" + kid + "\"").doesNotContain("\"d\":");

            String registered = succeeds(cli.run(settings, "register"));
            String clientId = credential(credentials, "client-id");
            assertThat(clientId).isNotBlank();
            assertThat(credential(credentials, "client-secret")).isNotBlank();
            assertThat(credential(credentials, "registration-access-token")).isNotBlank();
            assertThat(credential(credentials, "registration-client-uri")).endsWith("/tpp-registration/" + clientId);
            assertThat(credential(credentials, "api-key")).isEqualTo(bank.tpp().apiKey());
            assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertNothingIdentifying(registered, credentials);
            assertThat(registered).contains("client_secret_post", "PIS Bridge");

            String shown = succeeds(cli.run(settings, "register", "--show"));
            assertNothingIdentifying(shown, credentials);
            assertThat(shown).contains("PIS Bridge");

            settings.put("pis.registration.client-name", "PIS Bridge renamed");
            assertNothingIdentifying(succeeds(cli.run(settings, "register", "--update")), credentials);
            assertThat(bank.state().clients.get(clientId).metadata.toString()).contains("PIS Bridge renamed");

            succeeds(cli.run(settings, "register", "--delete"));
            assertThat(bank.state().clients.get(clientId).deleted).isTrue();
            assertThat(credential(credentials, "client-id")).isNull();
            assertThat(credential(credentials, "api-key")).isEqualTo(bank.tpp().apiKey());

            assertNothingIdentifying(succeeds(cli.run(settings, "register")), credentials);
            String newClient = credential(credentials, "client-id");
            assertThat(newClient).isNotBlank().isNotEqualTo(clientId);

            assertThat(payOnce(settings, bank, brokerPort)).isEqualTo("COMPLETED");
            assertThat(bank.state().tokens.values().stream().anyMatch(t -> newClient.equals(t.clientId))).isTrue();
        } finally {
            bank.close();
        }
    }

    @Test
    void theRuntimeRefusesToStartBeforeTheClientIsRegistered() throws Exception {
        int httpPort = FreePorts.next();
        SandboxBank bank = SandboxBank.start(SandboxSettings.defaults(dir.resolve("sandbox")));
        try {
            Path credentials = dir.resolve("credentials.properties");
            // the provisioned client's file without its client-id: keys and passwords of the key stores stay
            Files.writeString(credentials, Files.readString(bank.tpp().dir().resolve("client.properties"))
                    .replaceAll("(?m)^client-id.*$", ""));
            Map<String, String> settings = new HashMap<>(FlowHarness.runtimeSettings(dir, bank, httpPort, FreePorts.next()));
            settings.put("pis.bank.credentials-file", credentials.toString());
            PisBridgeRuntime runtime = new PisBridgeRuntime(Path.of("config/application.properties"), settings);
            org.assertj.core.api.Assertions.assertThatThrownBy(runtime::start)
                    .hasStackTraceContaining("has no client-id: register this client at the bank first");
            runtime.stop();
        } finally {
            bank.close();
        }
    }

    /** One order through the runtime with the registered client, approved by the simulated user; its final state. */
    private String payOnce(Map<String, String> settings, SandboxBank bank, int brokerPort) throws Exception {
        PisBridgeRuntime runtime = new PisBridgeRuntime(Path.of("config/application.properties"), settings);
        runtime.start();
        try (Connection jms = FlowHarness.brokerClient(brokerPort).createConnection()) {
            jms.start();
            Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer status = session.createConsumer(session.createQueue("pis.status"));
            MessageConsumer sca = session.createConsumer(session.createQueue("pis.sca"));
            session.createProducer(session.createQueue("pis.orders")).send(session.createTextMessage(
                    "{\"orderId\":\"ONB-1\",\"batchId\":\"onboarding\",\"batchSize\":1,"
                            + "\"payer\":{\"iban\":\"FI4950009420028730\"},"
                            + "\"payee\":{\"iban\":\"FI9112345600000786\",\"name\":\"Payee\"},\"amountEUR\":\"42.00\"}"));
            Map<?, ?> event = JSON.readValue(((TextMessage) sca.receive(120_000)).getText(), Map.class);
            SimulatedUser.Outcome outcome = new SimulatedUser(bank.tpp().trustContext(), "88888881", "11221122")
                    .approve(URI.create(event.get("link").toString()));
            assertThat(outcome.status()).as(outcome.body()).isEqualTo(200);
            String state = null;
            for (int i = 0; i < 240 && !"COMPLETED".equals(state) && !"FAILED".equals(state); i++) {
                Message m = status.receive(500);
                if (m instanceof TextMessage t) {
                    Map<?, ?> e = JSON.readValue(t.getText(), Map.class);
                    state = String.valueOf(e.get("state"));
                    assertThat(e.get("reason")).as("reason of %s", state).isNull();
                }
            }
            return state;
        } finally {
            runtime.stop();
        }
    }

    private static void assertNothingIdentifying(String printed, Path credentials) throws Exception {
        assertThat(printed).doesNotContain("client_id\"", "client_secret\"", "registration_access_token", "registration_client_uri",
                "api_key");
        for (String key : List.of("client-id", "client-secret", "registration-access-token", "api-key")) {
            String value = credential(credentials, key);
            if (value != null) {
                assertThat(printed).as(key).doesNotContain(value);
            }
        }
    }

    private static String succeeds(CommandLine.Run run) {
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        return run.out();
    }

    private static String credential(Path file, String key) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p.getProperty(key);
    }
}
