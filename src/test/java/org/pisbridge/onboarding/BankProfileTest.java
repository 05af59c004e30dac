package org.pisbridge.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.jose.SigningKeyFiles;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankSettings;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeSettings;

/** Choosing a bank is one setting: the profile files in config/banks give hosts, scope and client authentication. */
class BankProfileTest {
    private static final Path CONFIG = Path.of("config/application.properties");

    @Test
    void defaultProfileIsTheLocalSandboxBank() throws Exception {
        BankSettings bank = settings(CONFIG, Map.of());

        assertThat(bank.apiUrl()).isEqualTo("https://localhost:8443");
        assertThat(bank.authorizeUrl()).isEqualTo("https://localhost:8444/oauth/authorize");
        assertThat(bank.idTokenJwksUrl()).isEqualTo("https://localhost:8444/oauth/jwks/PSD2_OIDC");
        assertThat(bank.clientCredentialsScope()).isEqualTo("payments");
        assertThat(bank.tokenEndpointAuthMethod()).isEqualTo("client_secret_post");
    }

    @Test
    void opProfilesCarryTheHostsOfOpsDocument() throws Exception {
        BankSettings sandbox = settings(CONFIG, Map.of("pis.bank.profile", "op-sandbox"));
        BankSettings production = settings(CONFIG, Map.of("pis.bank.profile", "op-production"));

        assertThat(sandbox.apiUrl()).isEqualTo("https://mtls-apis.psd2-sandbox.op.fi");
        assertThat(sandbox.authorizeUrl()).isEqualTo("https://authorize.psd2-sandbox.op.fi/oauth/authorize");
        assertThat(sandbox.idTokenJwksUrl()).isEqualTo("https://authorize.psd2-sandbox.op.fi/oauth/jwks/PSD2_OIDC");
        assertThat(sandbox.paymentsJwksUrl())
                .isEqualTo("https://sandbox.apis.op-palvelut.fi/psd2/sandbox/jwks/payments/jwks.json");
        assertThat(sandbox.financialId()).isEqualTo("test");
        assertThat(production.apiUrl()).isEqualTo("https://mtls.apis.op.fi");
        assertThat(production.audience()).isEqualTo("https://mtls.apis.op.fi");
        assertThat(production.authorizeUrl()).isEqualTo("https://authorize.op.fi/oauth/authorize");
        assertThat(production.paymentsJwksUrl()).isEqualTo("https://apis.op.fi/psd2/jwks/payments/jwks.json");
        assertThat(production.tokenEndpointAuthMethod()).isEqualTo("client_secret_post");
    }

    @Test
    void stetProfileUsesTlsClientAuthScopePispAndTheLanguageInTheAuthorizeUrl() throws Exception {
        BankSettings french = settings(CONFIG, Map.of("pis.bank.profile", "stet-example", "pis.bank.authorize-lang", "fr"));

        assertThat(french.tokenEndpointAuthMethod()).isEqualTo("tls_client_auth");
        assertThat(french.clientCredentialsScope()).isEqualTo("pisp");
        assertThat(french.authorizeUrl()).isEqualTo("https://www.becm.fr/oauth2/fr/sandbox/signin.html");
    }

    @Test
    void aSettingInTheConfigurationFileWinsOverTheProfile(@TempDir Path dir) throws Exception {
        Path config = copyOfConfig(dir, "pis.bank.profile = op-sandbox\npis.bank.financial-id = our-own-id\n");

        BankSettings bank = settings(config, Map.of());

        assertThat(bank.financialId()).isEqualTo("our-own-id");
        assertThat(bank.apiUrl()).isEqualTo("https://mtls-apis.psd2-sandbox.op.fi");
    }

    @Test
    void anUnknownProfileStopsWithItsFileNamed() {
        assertThatThrownBy(() -> ConfigurationFiles.locations(CONFIG, Map.of("pis.bank.profile", "no-such-bank")))
                .hasMessageContaining("no-such-bank.properties");
    }

    @Test
    void anUnknownAuthMethodIsRefused() {
        assertThatThrownBy(() -> settings(CONFIG, Map.of("pis.bank.token-endpoint-auth-method", "client_secret_jwt")))
                .hasMessageContaining("pis.bank.token-endpoint-auth-method");
    }

    @Test
    void theSigningKeyPassphraseComesFromOutsideTheFileAndIsNotShown() throws Exception {
        assertThat(settings(CONFIG, Map.of()).signingKeyPassword()).isEmpty();

        BankSettings bank = settings(CONFIG, Map.of("pis.bank.signing-key-password", "qseal-passphrase"));

        assertThat(new String(bank.signingKeyPassword())).isEqualTo("qseal-passphrase");
        assertThat(bank.toString()).doesNotContain("qseal-passphrase");
    }

    @Test
    void aSigningKeyOfAnAlgorithmTheBankDoesNotVerifyStopsWithBothNamed(@TempDir Path dir) throws Exception {
        Path key = SigningKeyFiles.newEcKey(dir.resolve("qseal-ec.pem"));
        Map<String, String> ecKey = Map.of("pis.bank.signing-key", key.toString(), "pis.bank.signing-kid", "qseal-1");

        try (CamelContext camel = ConfigurationFiles.context(CONFIG, ecKey)) {
            BankConnection op = new BankConnection(BankSettings.from(new RuntimeSettings(camel)), camel);
            assertThat(op.signingKey().algorithm().getName()).isEqualTo("ES256");
            assertThat(op.signingKey().kid()).isEqualTo("qseal-1");
        }
        Map<String, String> rsaOnlyBank = new java.util.HashMap<>(ecKey);
        rsaOnlyBank.put("pis.bank.profile", "stet-example");
        try (CamelContext camel = ConfigurationFiles.context(CONFIG, rsaOnlyBank)) {
            BankConnection stet = new BankConnection(BankSettings.from(new RuntimeSettings(camel)), camel);
            assertThatThrownBy(stet::signingKey).hasMessageContaining("qseal-ec.pem")
                    .hasMessageContaining("signs ES256, which the bank does not accept (pis.bank.signing-algorithms: RS256)");
        }
    }

    static Path copyOfConfig(Path dir, String extra) throws Exception {
        Path banks = Files.createDirectories(dir.resolve("banks"));
        try (var files = Files.list(Path.of("config/banks"))) {
            for (Path f : files.toList()) {
                Files.copy(f, banks.resolve(f.getFileName()));
            }
        }
        Path config = dir.resolve("application.properties");
        Files.writeString(config, Files.readString(CONFIG).replace("pis.bank.profile = sandbox\n", "") + extra);
        return config;
    }

    private static BankSettings settings(Path config, Map<String, String> overrides) throws Exception {
        CamelContext camel = ConfigurationFiles.context(config, overrides);
        try {
            return BankSettings.from(new RuntimeSettings(camel));
        } finally {
            camel.close();
        }
    }
}
