package org.pisbridge.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankSettings;
import org.pisbridge.jose.SigningKeyFiles;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeSettings;

/** A 401's hint names what the bank's words point at: an x-api-key refusal is not a signing-key problem. */
class UnauthorizedHintTest {

    @Test
    void namesTheCauseTheBankGives(@TempDir Path dir) throws Exception {
        Path key = SigningKeyFiles.newEcKey(dir.resolve("signing-key.pem"));
        try (CamelContext camel = ConfigurationFiles.context(Path.of("config/application.properties"), Map.of(
                "pis.bank.credentials-file", dir.resolve("credentials.properties").toString(),
                "pis.bank.signing-key", key.toString(), "pis.bank.signing-kid", "kid-1"))) {
            BankConnection bank = new BankConnection(BankSettings.from(new RuntimeSettings(camel)), camel);

            assertThat(bank.unauthorizedHint("{\"type\":\"SECURITY\",\"message\":\"invalid x-api-key\"}"))
                    .contains("API key (x-api-key)", "credentials.properties").doesNotContain("signing key");
            assertThat(bank.unauthorizedHint("{\"error\":\"invalid_client\"}"))
                    .contains("does not know this client", "client-id").doesNotContain("signing key");
            assertThat(bank.unauthorizedHint("{\"type\":\"SECURITY\",\"message\":\"the access token is invalid, expired or revoked\"}"))
                    .contains("access token").doesNotContain("signing key");
            assertThat(bank.unauthorizedHint("{\"type\":\"SECURITY\",\"message\":\"x-jws-signature does not verify\"}"))
                    .contains("signing key, kid kid-1", "pis.bank.audience");
            assertThat(bank.unauthorizedHint("{\"type\":\"SECURITY\",\"message\":\"x-fapi-financial-id header is missing\"}"))
                    .contains("pis.bank.financial-id");
            assertThat(bank.unauthorizedHint(null)).contains("signing key");
        }
    }
}
