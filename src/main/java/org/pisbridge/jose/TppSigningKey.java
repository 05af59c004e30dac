package org.pisbridge.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The TPP's signing key (QSEAL, or its sandbox emulation) loaded from PEM: ES256 for an EC P-256
 * key, RS256 for an RSA key. EC signing runs on BouncyCastle, which is more than twice as fast
 * as the JDK provider and signatures are most of a payment's CPU cost.
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

    public static TppSigningKey fromPem(Path pemFile, String kid) {
        String pem;
        try {
            pem = Files.readString(pemFile);
        } catch (IOException e) {
            throw new IllegalStateException("Signing key " + pemFile + " cannot be read: " + e.getMessage());
        }
        try {
            JWK jwk = JWK.parseFromPEMEncodedObjects(pem);
            if (jwk instanceof ECKey ec) {
                ECDSASigner signer = new ECDSASigner(ec);
                signer.getJCAContext().setProvider(BC);
                return new TppSigningKey(JWSAlgorithm.ES256, kid, signer,
                        new ECKey.Builder(ec.toPublicJWK()).keyID(kid).algorithm(JWSAlgorithm.ES256).build());
            }
            if (jwk instanceof RSAKey rsa) {
                return new TppSigningKey(JWSAlgorithm.RS256, kid, new RSASSASigner(rsa),
                        new RSAKey.Builder(rsa.toPublicJWK()).keyID(kid).algorithm(JWSAlgorithm.RS256).build());
            }
            throw new IllegalStateException("Signing key " + pemFile + " is neither EC nor RSA");
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing key " + pemFile + " is not a usable private key: " + e.getMessage());
        }
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
