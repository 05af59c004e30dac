package org.pisbridge.bankdoc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** TLS set-up of a TPP: its client certificate (QWAC-like) for mTLS, and the bank's CA as the only trust anchor. */
final class MutualTls {
    /** The document: "Support for TLS version 1.2"; older versions are refused by the bank. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private MutualTls() {
    }

    static SSLContext clientContext(Path clientKeyStore, String keyStorePassword, Path trustStore,
                                    String trustStorePassword) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(clientKeyStore, keyStorePassword), keyStorePassword.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), trustManagers(trustStore, trustStorePassword), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the mTLS context from " + clientKeyStore, e);
        }
    }

    /** For the authorize host (a browser's view) and for proving the API host refuses clients without a certificate. */
    static SSLContext trustOnly(Path trustStore, String trustStorePassword) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagers(trustStore, trustStorePassword), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context from " + trustStore, e);
        }
    }

    static SSLParameters parameters() {
        SSLParameters params = new SSLParameters();
        params.setProtocols(PROTOCOLS);
        return params;
    }

    /** The subject of the client certificate, as RFC 8705's tls_client_auth_subject_dn carries it. */
    static String subjectDn(Path clientKeyStore, String password) {
        try {
            KeyStore ks = load(clientKeyStore, password);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    return ((X509Certificate) ks.getCertificate(alias)).getSubjectX500Principal().getName();
                }
            }
            throw new IllegalStateException("no key entry in " + clientKeyStore);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + clientKeyStore, e);
        }
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path trustStore, String password)
            throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore, password));
        return tmf.getTrustManagers();
    }

    private static KeyStore load(Path file, String password) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return ks;
    }
}
