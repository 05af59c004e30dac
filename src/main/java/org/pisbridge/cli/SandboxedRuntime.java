package org.pisbridge.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.store.Database;

/**
 * Settings that point a runtime at a sandbox bank started apart from it (by a benchmark or a
 * test, in this process or another), as at an external bank: its URLs and the TPP material it
 * provisioned, with the runtime's own ports, store, broker journal and token key under {@code dir}.
 */
public final class SandboxedRuntime {
    private SandboxedRuntime() {
    }

    public static Map<String, String> settings(Path dir, SandboxBank bank, int httpPort, int brokerPort) {
        return settings(dir, bank.apiBaseUrl(), bank.authorizeBaseUrl(), bank.tpp().dir(), httpPort, brokerPort);
    }

    /** For a sandbox bank in another process: its API and authorize base URLs and its TPP material directory. */
    public static Map<String, String> settings(Path dir, String apiBaseUrl, String authorizeBaseUrl, Path tpp, int httpPort,
                                               int brokerPort) {
        Map<String, String> s = new HashMap<>();
        s.put("camel.server.port", String.valueOf(httpPort));
        s.put("pis.broker.embedded.port", String.valueOf(brokerPort));
        s.put("pis.broker.embedded.data-dir", dir.resolve("artemis").toString());
        s.put("pis.db.url", Database.h2FileUrl(dir.resolve("db/pis")));
        s.put("pis.sandbox.enabled", "false");
        s.put("pis.bank.api-url", apiBaseUrl);
        s.put("pis.bank.audience", apiBaseUrl);
        s.put("pis.bank.authorize-url", authorizeBaseUrl + "/oauth/authorize");
        s.put("pis.bank.id-token-issuer", authorizeBaseUrl);
        s.put("pis.bank.id-token-jwks-url", authorizeBaseUrl + "/oauth/jwks/PSD2_OIDC");
        s.put("pis.bank.payments-jwks-url", authorizeBaseUrl + "/psd2/jwks/payments/jwks.json");
        s.put("pis.bank.credentials-file", tpp.resolve("client.properties").toString());
        s.put("pis.bank.keystore", tpp.resolve("client.p12").toString());
        s.put("pis.bank.truststore", tpp.resolve("truststore.p12").toString());
        s.put("pis.bank.signing-key", tpp.resolve("signing-key.pem").toString());
        s.put("pis.http.public-url", "http://localhost:" + httpPort);
        s.put("pis.tokens.key-file", dir.resolve("keys/token.key").toString());
        return s;
    }
}
