package org.pisbridge.sandbox;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The sandbox's key material under {@code dataDir}: made on first start, reloaded on later starts so
 * a TPP configured once keeps working.
 * <ul>
 *   <li>{@code pki/ca.p12}, {@code pki/ca.pem} — the sandbox CA (EC P-256, 10 years)</li>
 *   <li>{@code pki/server.p12} — the server certificate of both hosts (host, localhost, 127.0.0.1)</li>
 *   <li>{@code pki/bank-signing-keys.json} — JWK set with private parts: ID-token key (RS256) and
 *       payments response key (ES256)</li>
 *   <li>{@code pki/keystore.password} — the password of the two keystores above</li>
 *   <li>{@code tpp/} — the {@link TppMaterial}</li>
 * </ul>
 */
public final class SandboxPki {
    static final String TPP_SUBJECT = "CN=pis-bridge-tpp,O=PIS Bridge TPP,C=FI";
    private static final String CA_SUBJECT = "CN=PIS Bridge Sandbox CA,O=PIS Bridge Sandbox Bank,C=FI";
    private static final String FOREIGN_CA_SUBJECT = "CN=Foreign CA,O=Not The Sandbox Bank,C=FI";
    private static final String KEY_ALIAS = "key";

    private final X509Certificate caCertificate;
    private final SandboxKeys keys;
    private final TppMaterial tpp;

    private SandboxPki(X509Certificate caCertificate, SandboxKeys keys, TppMaterial tpp) {
        this.caCertificate = caCertificate;
        this.keys = keys;
        this.tpp = tpp;
    }

    /** Loads the material under {@code settings.dataDir()}, creating what is missing. */
    public static SandboxPki open(SandboxSettings settings) {
        try {
            Path pki = privateDirectory(settings.dataDir().resolve("pki"));
            char[] password = readOrCreateSecret(pki.resolve("keystore.password")).toCharArray();

            CertificateAuthority ca = loadOrCreateCa(pki, password);
            KeyStore server = loadOrCreateServer(pki, password, ca, settings.host());
            JWKSet bankKeys = loadOrCreateBankKeys(pki.resolve("bank-signing-keys.json"));

            Path tppDir = settings.dataDir().resolve("tpp");
            TppMaterial tpp = Files.exists(tppDir.resolve(TppMaterial.PROPERTIES))
                    ? TppMaterial.load(tppDir)
                    : createTppMaterial(privateDirectory(tppDir), ca);

            SandboxKeys keys = new SandboxKeys(serverSsl(server, password, ca.certificate()),
                    first(bankKeys, RSAKey.class), first(bankKeys, ECKey.class));
            return new SandboxPki(ca.certificate(), keys, tpp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the sandbox PKI under " + settings.dataDir(), e);
        } catch (GeneralSecurityException | ParseException e) {
            throw new IllegalStateException("cannot prepare the sandbox PKI under " + settings.dataDir(), e);
        }
    }

    public SandboxKeys keys() {
        return keys;
    }

    public TppMaterial tpp() {
        return tpp;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    private static CertificateAuthority loadOrCreateCa(Path pki, char[] password) throws IOException, GeneralSecurityException {
        Path file = pki.resolve("ca.p12");
        if (Files.exists(file)) {
            KeyStore store = load(file, password);
            return new CertificateAuthority((PrivateKey) store.getKey(KEY_ALIAS, password),
                    (X509Certificate) store.getCertificate(KEY_ALIAS));
        }
        CertificateAuthority ca = CertificateAuthority.create(CA_SUBJECT);
        store(file, keyStore(ca.key(), password, ca.certificate()), password);
        Files.writeString(pki.resolve("ca.pem"), pem(ca.certificate()));
        return ca;
    }

    private static KeyStore loadOrCreateServer(Path pki, char[] password, CertificateAuthority ca, String host)
            throws IOException, GeneralSecurityException {
        Path file = pki.resolve("server.p12");
        if (Files.exists(file)) {
            return load(file, password);
        }
        KeyPair pair = CertificateAuthority.newEcKeyPair();
        KeyStore store = keyStore(pair.getPrivate(), password, ca.issueServer(pair.getPublic(), host), ca.certificate());
        store(file, store, password);
        return store;
    }

    private static JWKSet loadOrCreateBankKeys(Path file) throws IOException, ParseException, GeneralSecurityException {
        if (Files.exists(file)) {
            return JWKSet.load(file.toFile());
        }
        try {
            RSAKey idToken = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID("idtoken-" + SecureRandomString.of(6)).generate();
            KeyPair pair = CertificateAuthority.newEcKeyPair();
            ECKey payments = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).privateKey(pair.getPrivate())
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyID("payments-" + SecureRandomString.of(6)).build();
            JWKSet set = new JWKSet(List.of(idToken, payments));
            writeSecret(file, set.toString(false).getBytes(StandardCharsets.UTF_8));
            return set;
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static TppMaterial createTppMaterial(Path dir, CertificateAuthority ca) throws IOException, GeneralSecurityException {
        String keyStorePassword = SecureRandomString.of(18);
        String trustStorePassword = SecureRandomString.of(18);

        KeyPair client = CertificateAuthority.newEcKeyPair();
        X509Certificate clientCert = ca.issueClient(client.getPublic(), TPP_SUBJECT);
        Path clientStore = dir.resolve(TppMaterial.CLIENT_KEYSTORE);
        store(clientStore, keyStore(client.getPrivate(), keyStorePassword.toCharArray(), clientCert, ca.certificate()),
                keyStorePassword.toCharArray());
        Files.writeString(dir.resolve(TppMaterial.CLIENT_CERT_PEM), pem(clientCert) + pem(ca.certificate()));
        writeSecret(dir.resolve(TppMaterial.CLIENT_KEY_PEM), pkcs8Pem(client.getPrivate()).getBytes(StandardCharsets.US_ASCII));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("sandbox-ca", ca.certificate());
        Path trustStore = dir.resolve(TppMaterial.TRUSTSTORE);
        store(trustStore, trust, trustStorePassword.toCharArray());
        Files.writeString(dir.resolve(TppMaterial.CA_PEM), pem(ca.certificate()));

        KeyPair signing = CertificateAuthority.newEcKeyPair();
        String signingKid = "tpp-" + SecureRandomString.of(6);
        Path signingPem = dir.resolve(TppMaterial.SIGNING_KEY_PEM);
        // the public key travels along: JOSE libraries (Nimbus among them) cannot rebuild an EC JWK without it
        writeSecret(signingPem, (pkcs8Pem(signing.getPrivate()) + pem(signing.getPublic())).getBytes(StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve(TppMaterial.SIGNING_KID), signingKid + "\n");

        // same subject as the real client certificate: only the issuing CA tells them apart
        CertificateAuthority foreignCa = CertificateAuthority.create(FOREIGN_CA_SUBJECT);
        KeyPair foreign = CertificateAuthority.newEcKeyPair();
        Path foreignStore = dir.resolve(TppMaterial.FOREIGN_CLIENT_KEYSTORE);
        store(foreignStore, keyStore(foreign.getPrivate(), keyStorePassword.toCharArray(),
                foreignCa.issueClient(foreign.getPublic(), TPP_SUBJECT), foreignCa.certificate()), keyStorePassword.toCharArray());

        TppMaterial tpp = new TppMaterial(dir, clientStore, trustStore, keyStorePassword, trustStorePassword, signingPem,
                signingKid, SecureRandomString.of(15), SecureRandomString.of(24), SecureRandomString.of(24), foreignStore);
        ByteArrayOutputStream properties = new ByteArrayOutputStream();
        tpp.toProperties().store(properties, "Sandbox TPP client, as OP's developer portal and registration would give it");
        writeSecret(dir.resolve(TppMaterial.PROPERTIES), properties.toByteArray());
        return tpp;
    }

    private static SSLContext serverSsl(KeyStore server, char[] password, X509Certificate ca) throws GeneralSecurityException, IOException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(server, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("sandbox-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ssl;
    }

    private static <T extends JWK> T first(JWKSet set, Class<T> type) {
        return set.getKeys().stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("bank-signing-keys.json has no " + type.getSimpleName()));
    }

    private static KeyStore keyStore(PrivateKey key, char[] password, Certificate... chain) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(KEY_ALIAS, key, password, chain);
        return store;
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static void store(Path file, KeyStore store, char[] password) throws IOException, GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        writeSecret(file, out.toByteArray());
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private static String pkcs8Pem(PrivateKey key) throws IOException {
        return pem(new JcaPKCS8Generator(key, null).generate());
    }

    private static String readOrCreateSecret(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String secret = SecureRandomString.of(18);
        writeSecret(file, secret.getBytes(StandardCharsets.US_ASCII));
        return secret;
    }

    private static Path privateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    /** Writes a file only its owner can read; it is created with that permission, never readable in between. */
    private static void writeSecret(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(content);
        }
    }
}
