package org.pisbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.jose.SigningKeyFiles;
import org.pisbridge.bank.BankError;
import org.pisbridge.flow.FlowHarness;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.runtime.FreePorts;
import org.pisbridge.runtime.PisBridgeRuntime;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;
import org.pisbridge.sandbox.model.RegisteredClient;

/**
 * {@code pis-bridge register} against the sandbox bank over mTLS: RFC 7591 create, RFC 7592 read,
 * update and delete; a tls_client_auth client then gets tokens in the runtime with its certificate
 * and no secret, and not with a foreign certificate.
 */
class RegisterCommandTest {
    @TempDir
    Path dir;
    private SandboxBank bank;
    private Path credentials;
    private final Map<String, String> settings = new LinkedHashMap<>();

    @BeforeEach
    void startBank() throws Exception {
        int httpPort = FreePorts.next();
        String redirect = "http://localhost:" + httpPort + "/oauth/callback";
        bank = SandboxBank.start(SandboxSettings.defaults(dir.resolve("sandbox")).withRedirectUris(List.of(redirect)));
        credentials = dir.resolve("credentials.properties");
        Files.copy(bank.tpp().dir().resolve("client.properties"), credentials);
        settings.putAll(FlowHarness.runtimeSettings(dir, bank, httpPort, FreePorts.next()));
        settings.put("pis.bank.credentials-file", credentials.toString());
    }

    @AfterEach
    void stopBank() {
        bank.close();
    }

    @Test
    void registersReadsUpdatesAndDeletesTheClient() throws Exception {
        String provisioned = credential("client-id");

        String created = command("register");

        String clientId = credential("client-id");
        assertThat(clientId).isNotEqualTo(provisioned);
        assertThat(credential("client-secret")).isNotBlank();
        assertThat(credential("registration-access-token")).isNotBlank();
        assertThat(credential("registration-client-uri")).endsWith("/tpp-registration/" + clientId);
        assertThat(credential("api-key")).isEqualTo(bank.tpp().apiKey());
        assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        // what identifies or authenticates the client is stored, not printed
        assertThat(created).contains("client_secret_post")
                .doesNotContain(clientId, credential("client-secret"), credential("registration-access-token"), "registration_client_uri");
        RegisteredClient registered = bank.state().clients.get(clientId);
        assertThat(registered.tokenEndpointAuthMethod).isEqualTo("client_secret_post");

        assertThat(command("register", "--show")).contains("PIS Bridge").doesNotContain(clientId);

        settings.put("pis.registration.client-name", "PIS Bridge renamed");
        command("register", "--update");
        assertThat(command("register", "--show")).contains("PIS Bridge renamed");
        assertThat(credential("client-id")).isEqualTo(clientId);

        command("register", "--delete");
        assertThat(bank.state().clients.get(clientId).deleted).isTrue();
        assertThat(credential("client-id")).isNull();
        assertThat(credential("registration-access-token")).isNull();
        assertThatThrownBy(() -> command("register", "--show")).hasMessageContaining("run pis-bridge register first");
        // the API key stays: the client registers again
        assertThat(credential("api-key")).isEqualTo(bank.tpp().apiKey());
        command("register");
        assertThat(credential("client-id")).isNotBlank().isNotEqualTo(clientId);
    }

    @Test
    void keysPrintsWhatTheBankMustKnowAndNoSecret() throws Exception {
        String printed = command("keys");

        assertThat(printed).contains("/oauth/callback", "tls_client_auth_subject_dn:  CN=", "\"kid\":\"" + bank.tpp().signingKid() + "\"");
        assertThat(printed).doesNotContain(credential("client-secret"), "\"d\":");
    }

    @Test
    void tlsClientAuthClientGetsTokensWithItsCertificateAndNotWithAForeignOne() throws Exception {
        settings.put("pis.bank.token-endpoint-auth-method", "tls_client_auth");
        command("register");
        assertThat(credential("client-secret")).isNull();
        assertThat(bank.state().clients.get(credential("client-id")).tokenEndpointAuthMethod).isEqualTo("tls_client_auth");

        assertThat(bearerFromRuntime()).startsWith("Bearer ");

        settings.put("pis.bank.keystore", bank.tpp().foreignClientKeyStore().toString());
        // a second runtime in this JVM: its own broker journal and port
        settings.put("pis.broker.embedded.port", String.valueOf(FreePorts.next()));
        settings.put("pis.broker.embedded.data-dir", dir.resolve("artemis-2").toString());
        // refused in the handshake; with TLS 1.3 the client may only see the connection dropped
        assertThatThrownBy(this::bearerFromRuntime).isInstanceOf(BankError.class);
    }

    @Test
    void aSigningKeyMissingFromTheRegisteredJwksIsNamedUntilTheRegistrationIsUpdated() throws Exception {
        command("register");
        settings.put("pis.bank.signing-key", SigningKeyFiles.newEcKey(dir.resolve("new-signing-key.pem")).toString());

        Run show = run("register", "--show");
        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.err()).contains("new-signing-key.pem", "kid " + bank.tpp().signingKid(), "is not in the JWKS registered",
                "register --update");

        command("register", "--update");
        assertThat(run("register", "--show").exitCode()).isZero();
    }

    private String bearerFromRuntime() throws Exception {
        PisBridgeRuntime runtime = new PisBridgeRuntime(config(), Map.of());
        runtime.start();
        try {
            return runtime.context().getRegistry().lookupByNameAndType("clientCredentials", ClientCredentials.class).bearer();
        } finally {
            runtime.stop();
        }
    }

    /** What a command printed and its exit code. */
    private record Run(int exitCode, String out, String err) {
    }

    /** Runs the command line as the launcher does, with the settings in a configuration file. */
    private Run run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config().toString()));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            int code = PisBridgeCommand.execute(all.toArray(String[]::new));
            // the log lines of this JVM (the sandbox bank's among them) are not what the command printed
            String shown = printed.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).collect(java.util.stream.Collectors.joining("\n"));
            return new Run(code, shown, errors.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Runs a command that must succeed; returns what it printed. */
    private String command(String... args) throws Exception {
        Run run = run(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out();
    }

    private Path config() throws Exception {
        Path banks = Files.createDirectories(dir.resolve("config/banks"));
        try (var files = Files.list(Path.of("config/banks"))) {
            for (Path f : files.toList()) {
                Files.copy(f, banks.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StringBuilder file = new StringBuilder(Files.readString(Path.of("config/application.properties")));
        settings.forEach((k, v) -> file.append('\n').append(k).append(" = ").append(v.replace("\\", "\\\\")));
        Path config = dir.resolve("config/application.properties");
        Files.writeString(config, file + "\n");
        return config;
    }

    private String credential(String key) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(credentials)) {
            p.load(r);
        }
        return p.getProperty(key);
    }
}
