package org.pisbridge.sandbox.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.util.Arrays;

/**
 * The bank's {@code x-jws-signature} on business responses: a detached JWS {@code header..signature}
 * over the exact body bytes, with the standard base64url payload (RFC 7515 appendix F, not b64=false).
 */
final class ResponseSignature {
    private final ECDSASigner signer;
    private final JWSHeader header;

    ResponseSignature(JWK paymentsKey) {
        try {
            ECKey key = paymentsKey.toECKey();
            // in BouncyCastle's own form, made once: BouncyCastle precomputes for the key's curve point at
            // the first signature and keeps it there, where a JDK key is converted anew (and the
            // precomputation lost) at every signature — three quarters of this process's CPU
            PrivateKey kept = (PrivateKey) KeyFactory.getInstance("EC", BouncyCastleProviderSingleton.getInstance())
                    .translateKey(key.toECPrivateKey());
            this.signer = new ECDSASigner(kept, Curve.P_256);
            signer.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
            this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build();
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalStateException("the payments signing key is not an EC P-256 key", e);
        }
    }

    /** Whether this signer signs with {@code key} (by kid). */
    boolean signs(com.nimbusds.jose.jwk.JWK key) {
        return key.getKeyID().equals(header.getKeyID());
    }

    String sign(byte[] body) {
        try {
            JWSObject jws = new JWSObject(header, new Payload(body));
            jws.sign(signer);
            return jws.serialize(true);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a response", e);
        }
    }

    /** A well-formed signature that does not verify over {@code body}: made over different bytes. */
    String spoiled(byte[] body) {
        byte[] other = Arrays.copyOf(body, body.length + 1);
        other[body.length] = ' ';
        return sign(other);
    }
}
