package org.pisbridge.cli;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.apache.camel.CamelContext;
import com.nimbusds.jose.JOSEException;
import java.nio.file.Files;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankCredentials;
import org.pisbridge.bank.BankSettings;
import org.pisbridge.bank.BankTls;
import org.pisbridge.jose.TppSigningKey;
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

    /**
     * Onboarding starts from a credentials file holding only what the bank gives before registration
     * (an API key, if any; a missing file is created empty, owner-only). The signing key's kid is
     * recorded there as its JWK thumbprint (RFC 7638) unless one is set, so what is registered and
     * what signs name the same key.
     */
    static void recordSigningKid(BankSettings settings) throws JOSEException {
        Path file = settings.credentialsFile();
        if (!Files.exists(file)) {
            BankCredentials.update(file, Map.of());
        }
        if (settings.signingKid() != null || BankCredentials.load(file).signingKid() != null) {
            return;
        }
        TppSigningKey key = TppSigningKey.load(settings.signingKey(), settings.signingKeyPassword(),
                settings.signingKeyAlias(), null);
        BankCredentials.update(file, Map.of("signing-kid", key.publicJwk().computeThumbprint().toString()));
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
            BankSettings settings = BankSettings.from(s);
            recordSigningKid(settings);
            BankConnection bank = new BankConnection(settings, camel);
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
