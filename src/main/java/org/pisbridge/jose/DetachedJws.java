package org.pisbridge.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.Base64URL;
import java.text.ParseException;

/**
 * Detached JWS as OP uses it in {@code x-jws-signature}: {@code header..signature}, the payload
 * being the exact body bytes (RFC 7515 appendix F), base64url-encoded when verifying.
 */
public final class DetachedJws {
    private DetachedJws() {
    }

    /** Signs {@code body} exactly as it will be sent; returns {@code header..signature}. */
    public static String sign(byte[] body, SigningKey key) {
        JWSHeader header = new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).build();
        JWSObject jws = new JWSObject(header, new Payload(body));
        try {
            jws.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing failed with key " + key.kid() + ": " + e.getMessage(), e);
        }
        return jws.serialize(true);
    }

    /**
     * Rebuilds {@code header.BASE64URL(body).signature} from a detached signature and the body
     * received, for verification.
     */
    public static JWSObject attach(String detached, byte[] body) throws ParseException {
        if (detached == null || detached.isBlank()) {
            throw new ParseException("no x-jws-signature", 0);
        }
        String[] parts = detached.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            throw new ParseException("x-jws-signature is not of the form header..signature", 0);
        }
        return new JWSObject(new Base64URL(parts[0]), new Payload(body), new Base64URL(parts[2]));
    }

    /** What signs for the TPP: its QSEAL (or emulated) key, with the kid the bank knows it by. */
    public interface SigningKey {
        JWSAlgorithm algorithm();

        String kid();

        JWSSigner signer();
    }
}
