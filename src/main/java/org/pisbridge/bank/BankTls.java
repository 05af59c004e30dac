package org.pisbridge.bank;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Mutual TLS towards the bank: the TPP's client certificate (QWAC) and the CAs trusted for the
 * bank's server certificate, PKCS#12 or PEM files. TLS 1.2 and 1.3 only, as OP requires.
 */
public final class BankTls {
    private BankTls() {
    }

    public static SSLContextParameters parameters(BankSettings settings, BankCredentials credentials) {
        KeyStoreParameters keyStore = keyStore(settings.keyStore(), credentials.keyStorePassword(), "pis.bank.keystore");
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(new String(credentials.keyStorePassword()));

        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(keyStore(settings.trustStore(), credentials.trustStorePassword(), "pis.bank.truststore"));

        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(List.of("TLSv1.3", "TLSv1.2"));

        SSLContextParameters tls = new SSLContextParameters();
        tls.setKeyManagers(keyManagers);
        tls.setTrustManagers(trustManagers);
        tls.setSecureSocketProtocols(protocols);
        return tls;
    }

    /** The mTLS client certificate: its subject is what a tls_client_auth client registers. */
    public static X509Certificate clientCertificate(BankSettings settings, BankCredentials credentials) {
        try {
            KeyStore store = load(settings.keyStore(), credentials.keyStorePassword(), "pis.bank.keystore");
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return (X509Certificate) store.getCertificate(alias);
                }
            }
            throw new IllegalStateException("pis.bank.keystore: " + settings.keyStore() + " holds no client key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("pis.bank.keystore: " + settings.keyStore() + " cannot be read: " + e.getMessage());
        }
    }

    public static SSLContext context(SSLContextParameters parameters, CamelContext camel) {
        try {
            return parameters.createSSLContext(camel);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Bank TLS set-up failed: " + e.getMessage(), e);
        }
    }

    private static KeyStoreParameters keyStore(Path file, char[] password, String setting) {
        KeyStoreParameters p = new KeyStoreParameters();
        p.setKeyStore(load(file, password, setting));
        p.setPassword(new String(password));
        return p;
    }

    /** A PKCS#12 file, or PEM when the name ends in .pem. */
    private static KeyStore load(Path file, char[] password, String setting) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(setting + ": " + file + " not found");
        }
        if (PemKeyStore.isPem(file)) {
            return PemKeyStore.read(file, password, setting);
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(setting + ": " + file + " cannot be read: " + e.getMessage());
        }
    }
}
