package org.pisbridge.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    public static Attached attach(String detached, byte[] body) throws ParseException {
        if (detached == null || detached.isBlank()) {
            throw new ParseException("no x-jws-signature", 0);
        }
        String[] parts = detached.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            throw new ParseException("x-jws-signature is not of the form header..signature", 0);
        }
        byte[] signingInput = (parts[0] + '.' + Base64URL.encode(body)).getBytes(StandardCharsets.US_ASCII);
        return new Attached(header(parts[0]), signingInput, new Base64URL(parts[2]));
    }

    /** Headers parsed before, by their encoding: a bank signs every answer under the same few. */
    private static final Map<String, JWSHeader> HEADERS = new ConcurrentHashMap<>();

    private static JWSHeader header(String encoded) throws ParseException {
        JWSHeader known = HEADERS.get(encoded);
        if (known != null) {
            return known;
        }
        JWSHeader parsed = JWSHeader.parse(new Base64URL(encoded));
        if (HEADERS.size() >= 64) {
            HEADERS.clear(); // headers that vary (a bank putting a time in them) must not fill the memory
        }
        HEADERS.put(encoded, parsed);
        return parsed;
    }

    /** A detached signature with the body it signs put back in: what is verified, as in a compact JWS. */
    public record Attached(JWSHeader header, byte[] signingInput, Base64URL signature) {
        public boolean verifiedBy(JWSVerifier verifier) throws JOSEException {
            return verifier.verify(header, signingInput, signature);
        }
    }

    /** What signs for the TPP: its QSEAL (or emulated) key, with the kid the bank knows it by. */
    public interface SigningKey {
        JWSAlgorithm algorithm();

        String kid();

        JWSSigner signer();
    }
}
