package org.pisbridge.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.UnrecoverableKeyException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The TPP's signing key (QSEAL, or its sandbox emulation): ES256 for an EC P-256 key, RS256 for an
 * RSA key. Read from a PKCS#12 keystore ({@code .p12}, {@code .pfx}) or from PEM, whose private key
 * may be an encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY}. EC signing runs on BouncyCastle, which
 * is more than twice as fast as the JDK provider and signatures are most of a payment's CPU cost.
 */
public final class TppSigningKey implements DetachedJws.SigningKey {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final JWSAlgorithm algorithm;
    private final String kid;
    private final JWSSigner signer;
    private final JWK publicKey;

    private TppSigningKey(JWSAlgorithm algorithm, String kid, JWSSigner signer, JWK publicKey) {
        this.algorithm = algorithm;
        this.kid = kid;
        this.signer = signer;
        this.publicKey = publicKey;
    }

    /**
     * Loads the key in {@code file}, opening it with {@code passphrase} (empty when the file is not
     * encrypted). {@code alias} picks the entry of a keystore holding several private keys; null
     * takes its only one.
     */
    public static TppSigningKey load(Path file, char[] passphrase, String alias, String kid) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        KeyPair pair = name.endsWith(".p12") || name.endsWith(".pfx")
                ? fromKeyStore(file, passphrase, alias)
                : fromPem(file, passphrase);
        return of(pair, kid, file);
    }

    private static TppSigningKey of(KeyPair pair, String kid, Path file) {
        try {
            if (pair.getPublic() instanceof ECPublicKey ec && pair.getPrivate() instanceof ECPrivateKey d) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (!Curve.P_256.equals(curve)) {
                    throw new IllegalStateException("Signing key " + file + " is an EC key on "
                            + (curve == null ? "an unnamed curve" : "curve " + curve) + "; only P-256 (ES256) is supported");
                }
                // in BouncyCastle's own form, made once: BouncyCastle keeps its precomputation for the curve's
                // point with the key, where a JDK key is converted anew (and the precomputation made anew) at every
                // signature — then signing cost twice a verification instead of a third of one. Made from the
                // encoding, so its algorithm is "EC" whoever made the key (BouncyCastle's "ECDSA" ones too, as
                // when a library such as the SFTP client registered BouncyCastle as a JCA provider)
                PrivateKey kept = KeyFactory.getInstance("EC", BC).generatePrivate(new PKCS8EncodedKeySpec(d.getEncoded()));
                ECDSASigner signer = new ECDSASigner(kept, Curve.P_256);
                signer.getJCAContext().setProvider(BC);
                return new TppSigningKey(JWSAlgorithm.ES256, kid, signer,
                        new ECKey.Builder(curve, ec).keyID(kid).algorithm(JWSAlgorithm.ES256).build());
            }
            if (pair.getPublic() instanceof RSAPublicKey rsa) {
                return new TppSigningKey(JWSAlgorithm.RS256, kid, new RSASSASigner(pair.getPrivate()),
                        new RSAKey.Builder(rsa).keyID(kid).algorithm(JWSAlgorithm.RS256).build());
            }
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Signing key " + file + " is not a usable private key: " + e.getMessage());
        }
        throw unsupported(file, pair.getPrivate());
    }

    private static KeyPair fromKeyStore(Path file, char[] passphrase, String alias) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, passphrase);
            String entry = privateKeyEntry(store, alias, file);
            return new KeyPair(store.getCertificate(entry).getPublicKey(), (PrivateKey) store.getKey(entry, passphrase));
        } catch (UnrecoverableKeyException e) {
            throw notDecrypted(file, passphrase);
        } catch (IOException e) {
            // the JDK reports a wrong keystore password as an IOException caused by an UnrecoverableKeyException
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw notDecrypted(file, passphrase);
            }
            throw new IllegalStateException("Signing key " + file + " cannot be read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing key " + file + " is not a usable PKCS#12 keystore: " + e.getMessage());
        }
    }

    private static String privateKeyEntry(KeyStore store, String alias, Path file) throws GeneralSecurityException {
        List<String> keys = new ArrayList<>();
        for (String a : Collections.list(store.aliases())) {
            if (store.isKeyEntry(a) && store.getCertificate(a) != null) {
                keys.add(a);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("Signing key " + file + " holds no private key");
        }
        if (alias != null) {
            if (!keys.contains(alias)) {
                throw new IllegalStateException("Signing key " + file + " has no private key '" + alias
                        + "' (pis.bank.signing-key-alias); its private keys: " + String.join(", ", keys));
            }
            return alias;
        }
        if (keys.size() > 1) {
            throw new IllegalStateException("Signing key " + file + " holds several private keys (" + String.join(", ", keys)
                    + "); choose one with pis.bank.signing-key-alias");
        }
        return keys.get(0);
    }

    /** The file's private key, with its public key derived from it. */
    private static KeyPair fromPem(Path file, char[] passphrase) {
        PrivateKeyInfo key = null;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                PrivateKeyInfo found = privateKey(o, passphrase, file);
                if (found != null && key != null) {
                    throw new IllegalStateException("Signing key " + file + " holds more than one private key");
                }
                key = found != null ? found : key;
            }
        } catch (IOException e) {
            throw new IllegalStateException("Signing key " + file + " cannot be read: " + e.getMessage());
        }
        if (key == null) {
            throw new IllegalStateException("Signing key " + file
                    + " holds no PEM private key (a PKCS#12 keystore's name ends in .p12 or .pfx)");
        }
        try {
            PrivateKey privateKey = new JcaPEMKeyConverter().getPrivateKey(key);
            return new KeyPair(publicKey(privateKey, file), privateKey);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Signing key " + file + " is not a usable private key: " + e.getMessage());
        }
    }

    /** The private key in one PEM object; null for what may come with it: certificates, public keys, EC parameters. */
    private static PrivateKeyInfo privateKey(Object pem, char[] passphrase, Path file) {
        if (pem instanceof PrivateKeyInfo key) {
            return key;
        }
        if (pem instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        if (pem instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            return decrypt(encrypted, passphrase, file);
        }
        if (pem instanceof PEMEncryptedKeyPair) {
            throw new IllegalStateException("Signing key " + file
                    + " is encrypted the legacy OpenSSL way; convert it to PKCS#8 (openssl pkcs8 -topk8)");
        }
        if (pem instanceof X509CertificateHolder || pem instanceof SubjectPublicKeyInfo || pem instanceof ASN1ObjectIdentifier) {
            return null;
        }
        throw new IllegalStateException("Signing key " + file + " holds a " + pem.getClass().getSimpleName()
                + ", not a private key");
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo key, char[] passphrase, Path file) {
        if (passphrase.length == 0) {
            throw notDecrypted(file, passphrase);
        }
        try {
            return key.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase));
        } catch (PKCSException e) {
            throw notDecrypted(file, passphrase);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Signing key " + file + " is encrypted with an unsupported scheme: " + e.getMessage());
        }
    }

    /** RSA from the CRT key's modulus and exponent; EC as Q = d·G, which a PKCS#8 key need not carry. */
    private static PublicKey publicKey(PrivateKey key, Path file) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        if (key instanceof ECPrivateKey) {
            KeyFactory ec = KeyFactory.getInstance("EC", BC);
            var d = (org.bouncycastle.jce.interfaces.ECPrivateKey) ec.translateKey(key);
            return ec.generatePublic(new ECPublicKeySpec(d.getParameters().getG().multiply(d.getD()), d.getParameters()));
        }
        throw unsupported(file, key);
    }

    private static IllegalStateException notDecrypted(Path file, char[] passphrase) {
        if (passphrase.length == 0) {
            return new IllegalStateException("Signing key " + file + " is encrypted but no passphrase is set:"
                    + " set pis.bank.signing-key-password in the environment (PIS_BANK_SIGNING_KEY_PASSWORD)");
        }
        return new IllegalStateException("Signing key " + file + " cannot be decrypted: wrong passphrase?");
    }

    private static IllegalStateException unsupported(Path file, PrivateKey key) {
        return new IllegalStateException("Signing key " + file + " is an unsupported " + key.getAlgorithm()
                + " key; EC P-256 (ES256) and RSA with CRT parameters (RS256) are supported");
    }

    @Override
    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String kid() {
        return kid;
    }

    @Override
    public JWSSigner signer() {
        return signer;
    }

    /** The public half, as the bank must know it (JWKS). */
    public JWK publicJwk() {
        return publicKey;
    }
}
