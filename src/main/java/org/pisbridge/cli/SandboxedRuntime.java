package org.pisbridge.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.pisbridge.sandbox.SandboxBank;

/**
 * Settings that point a runtime at a sandbox bank started apart from it (by a benchmark or a
 * test), as at an external bank: its URLs and the TPP material it provisioned, with the runtime's
 * own ports, store, broker journal and token key under {@code dir}.
 */
public final class SandboxedRuntime {
    private SandboxedRuntime() {
    }

    public static Map<String, String> settings(Path dir, SandboxBank bank, int httpPort, int brokerPort) {
        Path tpp = bank.tpp().dir();
        Map<String, String> s = new HashMap<>();
        s.put("camel.server.port", String.valueOf(httpPort));
        s.put("pis.broker.embedded.port", String.valueOf(brokerPort));
        s.put("pis.broker.embedded.data-dir", dir.resolve("artemis").toString());
        s.put("pis.db.url", "jdbc:h2:file:" + dir.resolve("db/pis") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0");
        s.put("pis.sandbox.enabled", "false");
        s.put("pis.bank.api-url", bank.apiBaseUrl());
        s.put("pis.bank.audience", bank.apiBaseUrl());
        s.put("pis.bank.authorize-url", bank.authorizeBaseUrl() + "/oauth/authorize");
        s.put("pis.bank.id-token-issuer", bank.authorizeBaseUrl());
        s.put("pis.bank.id-token-jwks-url", bank.authorizeBaseUrl() + "/oauth/jwks/PSD2_OIDC");
        s.put("pis.bank.payments-jwks-url", bank.authorizeBaseUrl() + "/psd2/jwks/payments/jwks.json");
        s.put("pis.bank.credentials-file", tpp.resolve("client.properties").toString());
        s.put("pis.bank.keystore", tpp.resolve("client.p12").toString());
        s.put("pis.bank.truststore", tpp.resolve("truststore.p12").toString());
        s.put("pis.bank.signing-key", tpp.resolve("signing-key.pem").toString());
        s.put("pis.http.public-url", "http://localhost:" + httpPort);
        s.put("pis.tokens.key-file", dir.resolve("keys/token.key").toString());
        return s;
    }
}
