package org.pisbridge.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The QSEAL key as banks' portals and openssl hand it out: PEM, encrypted PKCS#8 PEM or PKCS#12,
 * each loaded, signing a body that its published public JWK verifies.
 */
class TppSigningKeyTest {
    private static final String KID = "tpp-qseal-1";
    private static final char[] PASSPHRASE = "correct horse 42".toCharArray();
    private static final char[] WRONG = "not-the-passphrase".toCharArray();
    private static final char[] NONE = new char[0];
    private static final byte[] BODY = "{\"instructedAmount\":{\"amount\":\"12.30\"}}".getBytes(StandardCharsets.UTF_8);
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"EC", "RSA"})
    void unencryptedPem(String algorithm) throws Exception {
        KeyPair pair = keyPair(algorithm);
        Path file = pem("signing-key.pem", pkcs8(pair.getPrivate(), null));

        assertSignsVerifiably(TppSigningKey.load(file, NONE, null, KID), pair);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC", "RSA"})
    void encryptedPkcs8PemOpensWithThePassphrase(String algorithm) throws Exception {
        KeyPair pair = keyPair(algorithm);
        Path file = pem("signing-key.pem", pkcs8(pair.getPrivate(), PASSPHRASE));
        assertThat(Files.readString(file)).contains("ENCRYPTED PRIVATE KEY");

        assertSignsVerifiably(TppSigningKey.load(file, PASSPHRASE, null, KID), pair);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC", "RSA"})
    void pkcs12OpensWithThePassphrase(String algorithm) throws Exception {
        KeyPair pair = keyPair(algorithm);
        KeyStore store = emptyKeyStore();
        store.setKeyEntry("qseal", pair.getPrivate(), PASSPHRASE, new Certificate[] {selfSigned(pair)});
        Path file = pkcs12("qseal.p12", store, PASSPHRASE);

        assertSignsVerifiably(TppSigningKey.load(file, PASSPHRASE, null, KID), pair);
    }

    @Test
    void pemWithItsCertificateAndPublicKeyBesideTheKey() throws Exception {
        KeyPair pair = keyPair("EC");
        Path file = pem("signing-key.pem", selfSigned(pair), pkcs8(pair.getPrivate(), null), pair.getPublic());

        assertSignsVerifiably(TppSigningKey.load(file, NONE, null, KID), pair);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anEcKeySignsInBouncyCastlesOwnForm(boolean bouncyCastleRegistered) throws Exception {
        KeyPair pair = keyPair("EC");
        Path file = pem("signing-key.pem", pkcs8(pair.getPrivate(), null));
        // as the SFTP client (MINA SSHD) does in the runtime's JVM: the PEM reader then makes BouncyCastle "ECDSA" keys
        boolean added = bouncyCastleRegistered && java.security.Security.addProvider(new BouncyCastleProvider()) != -1;
        TppSigningKey key;
        try {
            key = TppSigningKey.load(file, NONE, null, KID);
        } finally {
            if (added) {
                java.security.Security.removeProvider("BC");
            }
        }

        // converted once at load: a JDK key would be converted, and BouncyCastle's precomputation made, at every signature
        assertThat(((com.nimbusds.jose.crypto.ECDSASigner) key.signer()).getPrivateKey())
                .isInstanceOf(org.bouncycastle.jce.interfaces.ECPrivateKey.class);
        assertSignsVerifiably(key, pair);
    }

    @Test
    void theAliasPicksOneOfSeveralKeys() throws Exception {
        KeyPair older = keyPair("EC");
        KeyPair newer = keyPair("RSA");
        KeyStore store = emptyKeyStore();
        store.setKeyEntry("seal-2024", older.getPrivate(), PASSPHRASE, new Certificate[] {selfSigned(older)});
        store.setKeyEntry("seal-2025", newer.getPrivate(), PASSPHRASE, new Certificate[] {selfSigned(newer)});
        Path file = pkcs12("qseal.pfx", store, PASSPHRASE);

        assertSignsVerifiably(TppSigningKey.load(file, PASSPHRASE, "seal-2025", KID), newer);
        assertThatThrownBy(() -> TppSigningKey.load(file, PASSPHRASE, null, KID))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("seal-2024").hasMessageContaining("seal-2025")
                .hasMessageContaining("pis.bank.signing-key-alias");
        assertThatThrownBy(() -> TppSigningKey.load(file, PASSPHRASE, "seal-2023", KID))
                .hasMessageContaining("seal-2023").hasMessageContaining("seal-2024, seal-2025");
    }

    @ParameterizedTest
    @ValueSource(strings = {"signing-key.pem", "qseal.p12"})
    void aWrongPassphraseIsSaidWithoutShowingIt(String name) throws Exception {
        Path file = encrypted(name, keyPair("EC"));

        assertThatThrownBy(() -> TppSigningKey.load(file, WRONG, null, KID))
                .hasMessage("Signing key " + file + " cannot be decrypted: wrong passphrase?")
                .hasMessageNotContaining(new String(WRONG))
                .hasMessageNotContaining(new String(PASSPHRASE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"signing-key.pem", "qseal.p12"})
    void anEncryptedKeyWithoutPassphraseNamesTheSettingAndTheVariable(String name) throws Exception {
        Path file = encrypted(name, keyPair("RSA"));

        assertThatThrownBy(() -> TppSigningKey.load(file, NONE, null, KID))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("no passphrase")
                .hasMessageContaining("pis.bank.signing-key-password")
                .hasMessageContaining("PIS_BANK_SIGNING_KEY_PASSWORD")
                .hasMessageNotContaining(new String(PASSPHRASE));
    }

    @Test
    void aKeystoreWithoutPrivateKeyIsRefused() throws Exception {
        KeyStore store = emptyKeyStore();
        store.setCertificateEntry("bank-ca", selfSigned(keyPair("EC")));
        Path file = pkcs12("truststore.p12", store, PASSPHRASE);

        assertThatThrownBy(() -> TppSigningKey.load(file, PASSPHRASE, null, KID))
                .hasMessage("Signing key " + file + " holds no private key");
    }

    @Test
    void anEcKeyOnAnotherCurveIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        Path file = pem("p384.pem", pkcs8(generator.generateKeyPair().getPrivate(), null));

        assertThatThrownBy(() -> TppSigningKey.load(file, NONE, null, KID))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("curve P-384; only P-256 (ES256) is supported");
    }

    /** Signs as the bank calls do and checks the signature with the published JWK and with the original key. */
    private static void assertSignsVerifiably(TppSigningKey key, KeyPair original) throws Exception {
        JWK published = key.publicJwk();
        assertThat(published.isPrivate()).isFalse();
        assertThat(published.getKeyID()).isEqualTo(KID);
        JWSAlgorithm expected = original.getPublic() instanceof ECPublicKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
        assertThat(published.getAlgorithm()).isEqualTo(expected);

        String detached = DetachedJws.sign(BODY, key);
        DetachedJws.Attached jws = DetachedJws.attach(detached, BODY);

        assertThat(jws.header().getAlgorithm()).isEqualTo(expected);
        assertThat(jws.header().getKeyID()).isEqualTo(KID);
        assertThat(jws.verifiedBy(verifier(published))).isTrue();
        assertThat(jws.verifiedBy(verifier(original.getPublic()))).isTrue();
        assertThat(DetachedJws.attach(detached, "{\"tampered\":true}".getBytes(StandardCharsets.UTF_8))
                .verifiedBy(verifier(published))).isFalse();
    }

    private static JWSVerifier verifier(JWK jwk) throws JOSEException {
        return jwk instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier(jwk.toRSAKey());
    }

    private static JWSVerifier verifier(PublicKey key) throws JOSEException {
        return key instanceof ECPublicKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAPublicKey) key);
    }

    private static KeyPair keyPair(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }

    /** The key under {@code name} encrypted with {@link #PASSPHRASE}: PKCS#12 or encrypted PKCS#8 PEM. */
    private Path encrypted(String name, KeyPair pair) throws Exception {
        if (name.endsWith(".pem")) {
            return pem(name, pkcs8(pair.getPrivate(), PASSPHRASE));
        }
        KeyStore store = emptyKeyStore();
        store.setKeyEntry("qseal", pair.getPrivate(), PASSPHRASE, new Certificate[] {selfSigned(pair)});
        return pkcs12(name, store, PASSPHRASE);
    }

    private static JcaPKCS8Generator pkcs8(PrivateKey key, char[] passphrase) throws Exception {
        if (passphrase == null) {
            return new JcaPKCS8Generator(key, null);
        }
        return new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(BC).setPassword(passphrase).build());
    }

    private Path pem(String name, Object... objects) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        }
        return Files.writeString(dir.resolve(name), text.toString());
    }

    private static KeyStore emptyKeyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private Path pkcs12(String name, KeyStore store, char[] passphrase) throws Exception {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, passphrase);
        }
        return file;
    }

    private static X509Certificate selfSigned(KeyPair pair) throws Exception {
        X500Name subject = new X500Name("CN=PIS Bridge TPP QSEAL,O=PIS Bridge TPP,C=FI");
        Instant now = Instant.now();
        String signature = pair.getPublic() instanceof ECPublicKey ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                Date.from(now), Date.from(now.plus(Duration.ofDays(1))), subject, pair.getPublic())
                .build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
    }
}
