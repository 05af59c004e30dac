package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;
import org.pisbridge.sandbox.TppMaterial;

/** mTLS with PEM files instead of PKCS#12: client certificate and key in one file, the bank's CA in another. */
class PemKeyMaterialTest {

    @Test
    void runtimeTalksToTheBankWithPemKeyMaterial(@TempDir Path dir) throws Exception {
        // a first start creates the sandbox's PKI; the harness starts it again on the same data
        SandboxBank.start(SandboxSettings.defaults(dir.resolve("sandbox")).withRedirectUris(List.of("http://localhost:1/cb"))).close();
        Path tpp = dir.resolve("sandbox/tpp");
        Path clientPem = dir.resolve("client.pem");
        Files.writeString(clientPem, Files.readString(tpp.resolve(TppMaterial.CLIENT_CERT_PEM))
                + Files.readString(tpp.resolve(TppMaterial.CLIENT_KEY_PEM)));

        try (FlowHarness h = new FlowHarness(dir, Map.of(
                "pis.bank.keystore", clientPem.toString(),
                "pis.bank.truststore", tpp.resolve(TppMaterial.CA_PEM).toString()))) {
            ClientCredentials token = h.runtime.context().getRegistry()
                    .lookupByNameAndType("clientCredentials", ClientCredentials.class);

            assertThat(token.bearer()).startsWith("Bearer ");
        }
    }
}
