package org.pisbridge.bankdoc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import java.security.interfaces.ECPrivateKey;
import java.text.ParseException;

/**
 * The detached JWS of the document ({@code header..signature}, RFC 7515 appendix F): the TPP signs the
 * exact request body bytes it sends (step 3), and checks the bank's signature over the exact response
 * body bytes it received (step 8).
 */
final class DetachedJws {
    private DetachedJws() {
    }

    static String sign(byte[] payload, ECPrivateKey key, String kid) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), new Payload(payload));
        try {
            jws.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the payload", e);
        }
        return jws.serialize(true);
    }

    /**
     * Rebuilds {@code header.BASE64URL(payload).signature} and verifies it with the key named by the header's
     * kid. Throws {@link AssertionError} saying what is wrong.
     */
    static void verify(String detached, byte[] payload, BankJwks jwks) {
        String[] parts = detached.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            throw new AssertionError("x-jws-signature is not of the form header..signature");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(parts[0] + "." + Base64URL.encode(payload) + "." + parts[2]);
        } catch (ParseException e) {
            throw new AssertionError("x-jws-signature does not parse: " + e.getMessage(), e);
        }
        if (!JWSAlgorithm.Family.SIGNATURE.contains(jws.getHeader().getAlgorithm())) {
            throw new AssertionError("x-jws-signature uses " + jws.getHeader().getAlgorithm() + ", not an asymmetric signature");
        }
        JWK key = jwks.key(jws.getHeader().getKeyID());
        try {
            JWSVerifier verifier = new DefaultJWSVerifierFactory()
                    .createJWSVerifier(jws.getHeader(), ((AsymmetricJWK) key).toPublicKey());
            if (!jws.verify(verifier)) {
                throw new AssertionError("x-jws-signature does not verify over the received body");
            }
        } catch (JOSEException e) {
            throw new AssertionError("x-jws-signature cannot be verified: " + e.getMessage(), e);
        }
    }
}
