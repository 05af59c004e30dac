package org.pisbridge.sandbox;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.util.Properties;

/**
 * What a TPP holds to use the sandbox bank: what OP's Registration Helper App and developer portal
 * would give it. Everything lives in one directory ({@code tpp/} under the sandbox data dir):
 * <ul>
 *   <li>{@code client.p12} — mTLS client certificate (CN=pis-bridge-tpp, issued by the sandbox CA) with its key;
 *       also {@code client-cert.pem} and {@code client-key.pem} for curl</li>
 *   <li>{@code truststore.p12} and {@code ca.pem} — the sandbox CA, so clients trust the bank's hosts</li>
 *   <li>{@code signing-key.pem} (PKCS#8, EC P-256) and {@code signing-key.kid} — the "QSEAL" signing key</li>
 *   <li>{@code foreign-client.p12} — a client certificate from a CA the bank does not trust</li>
 *   <li>{@code client.properties} — {@code client-id}, {@code client-secret}, {@code api-key},
 *       {@code signing-kid}, {@code keystore-password}, {@code truststore-password}</li>
 * </ul>
 * Both keystores use {@code keystore-password}/{@code truststore-password}; the foreign keystore uses
 * {@code keystore-password} too. The runtime reads {@code client.properties} without this class, so
 * the file names and keys above are the contract.
 */
public record TppMaterial(Path dir, Path clientKeyStore, Path trustStore, String keyStorePassword,
                          String trustStorePassword, Path signingKeyPem, String signingKid, String clientId,
                          String clientSecret, String apiKey, Path foreignClientKeyStore) {

    public static final String PROPERTIES = "client.properties";
    public static final String CLIENT_KEYSTORE = "client.p12";
    public static final String CLIENT_CERT_PEM = "client-cert.pem";
    public static final String CLIENT_KEY_PEM = "client-key.pem";
    public static final String TRUSTSTORE = "truststore.p12";
    public static final String CA_PEM = "ca.pem";
    public static final String SIGNING_KEY_PEM = "signing-key.pem";
    public static final String SIGNING_KID = "signing-key.kid";
    public static final String FOREIGN_CLIENT_KEYSTORE = "foreign-client.p12";

    public static TppMaterial load(Path tppDir) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(tppDir.resolve(PROPERTIES))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TPP material in " + tppDir, e);
        }
        return new TppMaterial(tppDir, tppDir.resolve(CLIENT_KEYSTORE), tppDir.resolve(TRUSTSTORE),
                required(p, "keystore-password"), required(p, "truststore-password"),
                tppDir.resolve(SIGNING_KEY_PEM), required(p, "signing-kid"), required(p, "client-id"),
                required(p, "client-secret"), required(p, "api-key"), tppDir.resolve(FOREIGN_CLIENT_KEYSTORE));
    }

    /** Trusts the sandbox bank's CA only, as a browser of the bank's customer would. */
    public SSLContext trustContext() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            ks.load(in, trustStorePassword.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(PROPERTIES + " has no " + key);
        }
        return value.trim();
    }

    /** The keys of {@code client.properties}, in the order they are written. */
    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("client-id", clientId);
        p.setProperty("client-secret", clientSecret);
        p.setProperty("api-key", apiKey);
        p.setProperty("signing-kid", signingKid);
        p.setProperty("keystore-password", keyStorePassword);
        p.setProperty("truststore-password", trustStorePassword);
        return p;
    }
}
