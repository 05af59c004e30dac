package org.pisbridge.bank;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.text.ParseException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.pisbridge.jose.BankKeys;
import org.pisbridge.jose.DetachedJws;

/**
 * Document step 8: a business answer is trusted only after its {@code x-jws-signature} verified
 * over the exact bytes received, against the bank's payments JWKS. Nothing is read from it before.
 */
public final class SignedResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BankConnection bank;

    public SignedResponses(BankConnection bank) {
        this.bank = bank;
    }

    /** Verifies the answer in {@code exchange} and replaces its body with the parsed JSON. */
    public Map<String, Object> verify(Exchange exchange) throws UnverifiedResponse {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        String signature = exchange.getMessage().getHeader("x-jws-signature", String.class);
        try {
            bank.paymentKeys().verify(DetachedJws.attach(signature, body), "response signature");
        } catch (ParseException e) {
            throw new UnverifiedResponse("response signature missing or malformed: " + e.getMessage());
        } catch (BankKeys.SignatureException e) {
            throw new UnverifiedResponse(e.getMessage());
        }
        try {
            return JSON.readValue(body, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UnverifiedResponse("signed response is not JSON: " + e.getMessage());
        }
    }

    /** A bank answer whose signature is missing or wrong: its content must not be used. */
    public static final class UnverifiedResponse extends Exception {
        public UnverifiedResponse(String message) {
            super(message);
        }
    }
}
