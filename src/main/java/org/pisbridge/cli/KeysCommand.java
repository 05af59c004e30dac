package org.pisbridge.cli;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankSettings;
import org.pisbridge.bank.BankTls;
import org.pisbridge.runtime.ConfigurationFiles;
import org.pisbridge.runtime.RuntimeSettings;
import org.pisbridge.sandbox.SandboxBank;

/**
 * {@code pis-bridge keys}: with {@code pis.sandbox.enabled}, creates the sandbox key set (mTLS
 * certificate and key, trust store, signing key, credentials) if it is not there yet; then prints
 * what the bank must know of this client: redirect URI, client authentication, the client
 * certificate's subject and validity, and the public JWKS of the signing key. Nothing secret.
 */
final class KeysCommand {
    private KeysCommand() {
    }

    static int run(Path config) throws Exception {
        CamelContext camel = ConfigurationFiles.context(config, Map.of());
        camel.start();
        try {
            RuntimeSettings s = new RuntimeSettings(camel);
            SandboxBank sandbox = LocalSandboxBank.startIfEnabled(s);
            if (sandbox != null) {
                sandbox.close();
            }
            BankConnection bank = new BankConnection(BankSettings.from(s), camel);
            X509Certificate certificate = BankTls.clientCertificate(bank.settings(), bank.credentials());
            System.out.println("redirect_uri:                " + bank.settings().redirectUri());
            System.out.println("token_endpoint_auth_method:  " + bank.settings().tokenEndpointAuthMethod());
            System.out.println("tls_client_auth_subject_dn:  " + certificate.getSubjectX500Principal().getName());
            System.out.println("client certificate valid to: " + certificate.getNotAfter().toInstant());
            System.out.println("signing key kid:             " + bank.signingKey().kid());
            System.out.println("jwks (also served at /jwks.json):");
            System.out.println(bank.publishedJwks());
            return 0;
        } finally {
            camel.close();
        }
    }
}
