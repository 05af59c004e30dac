package org.pisbridge.bank;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * mTLS key material given as PEM instead of PKCS#12, as banks' portals and openssl hand it out:
 * for the client, one file with the certificate (then its chain) and the unencrypted private key
 * ({@code cat client-cert.pem client-key.pem > client.pem}); for the trust store, the CA
 * certificates. Read into an in-memory key store.
 */
final class PemKeyStore {
    private PemKeyStore() {
    }

    static boolean isPem(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pem");
    }

    static KeyStore read(Path file, char[] password, String setting) {
        List<X509Certificate> certificates = new ArrayList<>();
        PrivateKey key = null;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
            JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder c) {
                    certificates.add(certs.getCertificate(c));
                } else if (o instanceof PrivateKeyInfo k) {
                    key = keys.getPrivateKey(k);
                } else if (o instanceof PEMKeyPair pair) {
                    key = keys.getKeyPair(pair).getPrivate();
                } else {
                    throw new IllegalStateException(setting + ": " + file + " holds a " + o.getClass().getSimpleName()
                            + "; only certificates and an unencrypted private key are read");
                }
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            if (key != null) {
                if (certificates.isEmpty()) {
                    throw new IllegalStateException(setting + ": " + file + " has a private key but no certificate");
                }
                store.setKeyEntry("client", key, password, certificates.toArray(Certificate[]::new));
            } else {
                for (int i = 0; i < certificates.size(); i++) {
                    store.setCertificateEntry("ca-" + i, certificates.get(i));
                }
            }
            if (certificates.isEmpty()) {
                throw new IllegalStateException(setting + ": " + file + " holds no certificate");
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(setting + ": " + file + " is not usable PEM: " + e.getMessage());
        }
    }
}
