package org.pisbridge.bankdoc;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One POST /payments-psd2/v1/sepa-payments, built as the document's step 3 cURL example sends it. A test can
 * drop or change a header, or sign other bytes or with another key, to prove the bank refuses it.
 */
final class PaymentCreation {
    private final DocumentTpp tpp;
    private final String token;
    private final String idempotencyKey;
    private String body;
    private final Map<String, String> extraHeaders = new LinkedHashMap<>();
    private final Set<String> omitted = new HashSet<>();
    private byte[] signedBytes;
    private ECPrivateKey signingKey;
    private String signingKid;

    PaymentCreation(DocumentTpp tpp, String token, String idempotencyKey, String body) {
        this.tpp = tpp;
        this.token = token;
        this.idempotencyKey = idempotencyKey;
        this.body = body;
    }

    /** Joins the bundle of an earlier payment. */
    PaymentCreation authorizationId(String authorizationId) {
        body = SepaPayment.withAuthorizationId(body, authorizationId);
        return this;
    }

    /** The exemption flow's customer headers; the last login time in RFC 7231 (IMF-fixdate) form. */
    PaymentCreation customer(String ipAddress, String userAgent, ZonedDateTime lastLoggedIn) {
        extraHeaders.put("x-fapi-customer-ip-address", ipAddress);
        extraHeaders.put("x-customer-user-agent", userAgent);
        extraHeaders.put("x-fapi-customer-last-logged-time",
                DateTimeFormatter.RFC_1123_DATE_TIME.format(lastLoggedIn.withZoneSameInstant(ZoneOffset.UTC)));
        return this;
    }

    PaymentCreation header(String name, String value) {
        extraHeaders.put(name, value);
        return this;
    }

    PaymentCreation without(String header) {
        omitted.add(header.toLowerCase());
        return this;
    }

    PaymentCreation signatureOver(byte[] otherBytes) {
        signedBytes = otherBytes;
        return this;
    }

    PaymentCreation signedWith(ECPrivateKey key, String kid) {
        signingKey = key;
        signingKid = kid;
        return this;
    }

    String body() {
        return body;
    }

    BankResponse send() {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        TppIdentity id = tpp.identity();
        String signature = DetachedJws.sign(signedBytes != null ? signedBytes : bytes,
                signingKey != null ? signingKey : id.signingKey(), signingKid != null ? signingKid : id.signingKid());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", id.apiKey());
        headers.put("Authorization", "Bearer " + token);
        headers.put("x-jws-signature", signature);
        headers.put("x-fapi-financial-id", tpp.financialId());
        headers.put("Accept", "application/json");
        headers.put("Content-Type", "application/json");
        headers.put("x-idempotency-key", idempotencyKey);
        headers.putAll(extraHeaders);
        headers.keySet().removeIf(name -> omitted.contains(name.toLowerCase()));
        return tpp.business("POST", DocumentTpp.PAYMENTS, headers, bytes);
    }
}
