package org.pisbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pisbridge.sandbox.TppClient.PAYMENTS;
import static org.pisbridge.sandbox.TppClient.json;
import static org.pisbridge.sandbox.TppClient.payment;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pisbridge.sandbox.model.AuthorizationStatus;

/** The payments API over mTLS: the gateway headers, the body rules, idempotency, bundles, submissions, signatures. */
class PaymentsApiTest {
    static final String PAYER = "FI4950009420028730";
    static final String PAYEE = "FI5850009420172322";

    @TempDir
    static Path dataDir;
    static SandboxBank bank;
    TppClient tpp;
    String token;

    @BeforeAll
    static void start() {
        bank = SandboxBank.start(SandboxSettings.defaults(dataDir));
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @BeforeEach
    void client() throws Exception {
        tpp = new TppClient(bank);
        token = tpp.clientToken();
    }

    @Test
    void aPaymentIsCreatedAsOpDocumentsIt() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = tpp.createPayment(tpp.paymentHeaders(token, body), body);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode p = json(response);
        assertThat(fieldNames(p)).containsExactly("paymentId", "authorizationId", "status", "created", "modified",
                "detailsOfCharges", "paymentOrder", "count", "payer", "message", "paymentType", "payee", "amountEUR");
        assertThat(p.get("status").asText()).isEqualTo("Unauthorized");
        assertThat(p.get("amountEUR").isTextual()).isTrue();
        assertThat(p.get("amountEUR").asText()).isEqualTo("4.00");
        assertThat(p.get("detailsOfCharges").asText()).isEqualTo("SHA");
        assertThat(p.get("paymentType").asText()).isEqualTo("SepaPayment");
        assertThat(p.get("count").asInt()).isEqualTo(1);
        assertThat(p.at("/payee/name").asText()).isEqualTo("Test_Person");
        assertThat(p.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d");
        assertThat(TppClient.responseSignatureVerifies(response, bank.paymentsJwks())).isTrue();
    }

    @Test
    void aResponseSignatureDoesNotVerifyOverOtherBytes() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = tpp.createPayment(tpp.paymentHeaders(token, body), body);
        byte[] otherBody = payment(PAYER, PAYEE, "5.00").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> other = tpp.createPayment(tpp.paymentHeaders(token, otherBody), otherBody);
        String foreignSignature = other.headers().firstValue("x-jws-signature").orElseThrow();
        // a genuine bank signature, but of another response: it must not verify over this body
        HttpResponse<byte[]> mixed = new HttpResponseWithSignature(response, foreignSignature);
        assertThat(TppClient.responseSignatureVerifies(mixed, bank.paymentsJwks())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x-api-key", "x-fapi-financial-id", "Authorization", "x-jws-signature"})
    void aMissingSecurityHeaderIsRefusedNamingIt(String header) throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        headers.remove(header);
        HttpResponse<byte[]> response = tpp.createPayment(headers, body);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("type").asText()).isEqualTo("SECURITY");
        assertThat(json(response).get("message").asText()).contains(header);
        assertThat(bank.state().paymentsByIdempotencyKey).doesNotContainKey(tpp.clientId + "|" + headers.get("x-idempotency-key"));
    }

    @Test
    void aMissingIdempotencyKeyIsRefused() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        headers.remove("x-idempotency-key");
        HttpResponse<byte[]> response = tpp.createPayment(headers, body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("type").asText()).isEqualTo("VALIDATION");
        assertThat(json(response).get("message").asText()).contains("x-idempotency-key");
    }

    @Test
    void aWrongApiKeyIsForbidden() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        headers.put("x-api-key", "not-the-key");
        HttpResponse<byte[]> response = tpp.createPayment(headers, body);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("message").asText()).contains("x-api-key");
    }

    @Test
    void aWrongFinancialIdIsForbidden() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        headers.put("x-fapi-financial-id", "another-bank");
        HttpResponse<byte[]> response = tpp.createPayment(headers, body);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("message").asText()).contains("x-fapi-financial-id");
    }

    @Test
    void anUnknownAccessTokenIsRefused() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = tpp.createPayment(tpp.paymentHeaders("made-up-token", body), body);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("type").asText()).isEqualTo("SECURITY");
    }

    @Test
    void aSignatureOverDifferentBytesIsRefused() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        // signed before a re-serialisation changed the bytes: same JSON meaning, other bytes
        byte[] sent = payment(PAYER, PAYEE, "4.00").replace(", ", ",").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = tpp.createPayment(tpp.paymentHeaders(token, body), sent);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText()).isEqualTo("x-jws-signature does not verify over the request body");
    }

    @Test
    void aSignatureWithAnUnknownKidIsRefused() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        String header = new String(java.util.Base64.getUrlDecoder().decode(headers.get("x-jws-signature").split("\\.")[0]),
                StandardCharsets.UTF_8).replace(tpp.tpp.signingKid(), "someone-else");
        headers.put("x-jws-signature", java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(header.getBytes(StandardCharsets.UTF_8)) + ".." + headers.get("x-jws-signature").split("\\.")[2]);
        HttpResponse<byte[]> response = tpp.createPayment(headers, body);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText()).contains("unknown kid someone-else");
    }

    @Test
    void aNonDetachedSignatureIsRefused() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "4.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        String[] parts = headers.get("x-jws-signature").split("\\.", -1);
        headers.put("x-jws-signature", parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode(body) + "." + parts[2]);
        HttpResponse<byte[]> response = tpp.createPayment(headers, body);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText()).contains("header..signature");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"payee\":{\"iban\":\"FI4950009420028731\",\"name\":\"A\"},\"payer\":{\"iban\":\"FI4950009420028730\"},\"message\":\"m\",\"amountEUR\":\"4.00\"}|payee.iban",
            "{\"payee\":{\"iban\":\"FI5850009420172322\",\"name\":\"A\"},\"payer\":{\"iban\":\"FI4950009420028799\"},\"message\":\"m\",\"amountEUR\":\"4.00\"}|payer.iban",
            "{\"payee\":{\"iban\":\"FI5850009420172322\",\"name\":\"A\"},\"payer\":{\"iban\":\"FI4950009420028730\"},\"message\":\"m\",\"amountEUR\":4.00}|amountEUR",
            "{\"payee\":{\"iban\":\"FI5850009420172322\",\"name\":\"A\"},\"payer\":{\"iban\":\"FI4950009420028730\"},\"message\":\"m\",\"amountEUR\":\"4.001\"}|amountEUR",
            "{\"payee\":{\"iban\":\"FI5850009420172322\",\"name\":\"A\"},\"payer\":{\"iban\":\"FI4950009420028730\"},\"message\":\"m\",\"amountEUR\":\"4\"}|amountEUR",
            "{\"payee\":{\"iban\":\"FI5850009420172322\",\"name\":\"A\"},\"payer\":{\"iban\":\"FI4950009420028730\"},\"message\":\"m\",\"amountEUR\":\"0.00\"}|amountEUR",
            "{\"payee\":{\"iban\":\"FI5850009420172322\",\"name\":\"A\"},\"payer\":{\"iban\":\"FI4950009420028730\"},\"message\":\"m\",\"amountEUR\":\"-1.00\"}|amountEUR",
            "{\"payee\":{\"iban\":\"FI5850009420172322\"},\"payer\":{\"iban\":\"FI4950009420028730\"},\"message\":\"m\",\"amountEUR\":\"4.00\"}|payee.name",
            "{\"payee\":{\"iban\":\"FI5850009420172322\",\"name\":\"A\"},\"payer\":{\"iban\":\"FI4950009420028730\"},\"message\":\"m\"}|amountEUR",
            "[1,2]|JSON object"})
    void anInvalidBodyIsRefusedNamingTheField(String caseText) throws Exception {
        String[] parts = caseText.split("\\|");
        byte[] body = parts[0].getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = tpp.createPayment(tpp.paymentHeaders(token, body), body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("type").asText()).isEqualTo("VALIDATION");
        assertThat(json(response).get("message").asText()).contains(parts[1]);
    }

    @Test
    void tooLongNameAndMessageAreRefused() throws Exception {
        String longName = payment(PAYER, PAYEE, "4.00").replace("Test_Person", "N".repeat(71));
        String longMessage = payment(PAYER, PAYEE, "4.00").replace("test_payment", "M".repeat(141));
        for (String[] c : new String[][] {{longName, "payee.name"}, {longMessage, "message"}}) {
            byte[] body = c[0].getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> response = tpp.createPayment(tpp.paymentHeaders(token, body), body);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).get("message").asText()).startsWith(c[1] + " is longer than");
        }
    }

    @Test
    void aReplayWithTheSameKeyAndBodyReturnsTheOriginalPayment() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "7.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        HttpResponse<byte[]> first = tpp.createPayment(headers, body);
        HttpResponse<byte[]> replay = tpp.createPayment(headers, body);

        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(json(replay).get("paymentId")).isEqualTo(json(first).get("paymentId"));
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(bank.state().payments.values().stream().filter(p -> headers.get("x-idempotency-key").equals(p.idempotencyKey)))
                .hasSize(1);
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOnePayment() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "8.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<HttpResponse<byte[]>>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> tpp.createPayment(headers, body));
            }
            List<String> ids = new ArrayList<>();
            for (Future<HttpResponse<byte[]>> f : pool.invokeAll(calls)) {
                assertThat(f.get().statusCode()).isEqualTo(201);
                ids.add(json(f.get()).get("paymentId").asText());
            }
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aReplayWithTheSameKeyAndAnotherBodyIsRefused() throws Exception {
        byte[] body = payment(PAYER, PAYEE, "9.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        tpp.createPayment(headers, body);
        byte[] other = payment(PAYER, PAYEE, "9.50").getBytes(StandardCharsets.UTF_8);
        headers.put("x-jws-signature", tpp.signDetached(other));
        HttpResponse<byte[]> response = tpp.createPayment(headers, other);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("type").asText()).isEqualTo("BUSINESS");
        assertThat(json(response).at("/violations/0/code").asText()).isEqualTo("DuplicatePayment");
    }

    @Test
    void paymentsBundleUnderOneAuthorization() throws Exception {
        JsonNode first = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00"));
        String authorizationId = first.get("authorizationId").asText();
        JsonNode second = tpp.createPayment(token, TppClient.bundled(PAYER, PAYEE, "2.00", authorizationId));

        assertThat(second.get("authorizationId").asText()).isEqualTo(authorizationId);
        HttpResponse<byte[]> authorization = tpp.call("GET", "/payments-psd2/v1/authorizations/" + authorizationId, token);
        assertThat(authorization.statusCode()).isEqualTo(200);
        assertThat(json(authorization).get("status").asText()).isEqualTo("Unauthorized");
        assertThat(json(authorization).get("payments").findValuesAsText("paymentId"))
                .containsExactly(first.get("paymentId").asText(), second.get("paymentId").asText());
        assertThat(TppClient.responseSignatureVerifies(authorization, bank.paymentsJwks())).isTrue();
    }

    @Test
    void aBundleRefusesAnotherPayerAnUnknownAuthorizationAndAnAuthorizedOne() throws Exception {
        String authorizationId = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00")).get("authorizationId").asText();

        HttpResponse<byte[]> otherPayer = create(TppClient.bundled(PAYEE, PAYER, "2.00", authorizationId));
        assertThat(otherPayer.statusCode()).isEqualTo(400);
        assertThat(json(otherPayer).get("message").asText()).contains("payer.iban");

        HttpResponse<byte[]> unknown = create(TppClient.bundled(PAYER, PAYEE, "2.00", "no-such-authorization"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("message").asText()).contains("authorizationId");

        bank.state().authorizations.get(authorizationId).status = AuthorizationStatus.Authorized;
        HttpResponse<byte[]> late = create(TppClient.bundled(PAYER, PAYEE, "2.00", authorizationId));
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(json(late).at("/violations/0/code").asText()).isEqualTo("IllegalState");
    }

    @Test
    void anotherClientsAuthorizationCannotBeJoined() throws Exception {
        String authorizationId = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00")).get("authorizationId").asText();
        bank.state().authorizations.get(authorizationId).clientId = "someone-else";
        HttpResponse<byte[]> response = create(TppClient.bundled(PAYER, PAYEE, "2.00", authorizationId));
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void anAuthorizedBundleIsSubmittedOnceAndProgressesToCredited() throws Exception {
        JsonNode first = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00"));
        String authorizationId = first.get("authorizationId").asText();
        JsonNode second = tpp.createPayment(token, TppClient.bundled(PAYER, PAYEE, "2.00", authorizationId));
        String userToken = authorize(authorizationId);

        String paymentId = first.get("paymentId").asText();
        HttpResponse<byte[]> submitted = tpp.call("PUT", PAYMENTS + "/" + paymentId + "/submissions/s-1", userToken);
        assertThat(submitted.statusCode()).isEqualTo(201);
        assertThat(json(submitted).get("status").asText()).isEqualTo("Pending");
        assertThat(TppClient.responseSignatureVerifies(submitted, bank.paymentsJwks())).isTrue();

        HttpResponse<byte[]> again = tpp.call("PUT", PAYMENTS + "/" + paymentId + "/submissions/s-1", userToken);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(json(again).get("submissionId").asText()).isEqualTo("s-1");
        assertThat(bank.bookings(paymentId)).isEqualTo(1);

        HttpResponse<byte[]> other = tpp.call("PUT", PAYMENTS + "/" + paymentId + "/submissions/s-2", userToken);
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json(other).at("/violations/0/code").asText()).isEqualTo("IllegalState");
        assertThat(bank.bookings(paymentId)).isEqualTo(1);

        assertThat(bank.state().authorizations.get(authorizationId).status).isEqualTo(AuthorizationStatus.Authorized);
        tpp.call("PUT", PAYMENTS + "/" + second.get("paymentId").asText() + "/submissions/s-3", userToken);
        assertThat(bank.state().authorizations.get(authorizationId).status).isEqualTo(AuthorizationStatus.Completed);

        assertThat(statusOf(PAYMENTS + "/" + paymentId)).isEqualTo("Submitted");
        assertThat(statusOf(PAYMENTS + "/" + paymentId + "/submissions/s-1")).isEqualTo("Credited");
        assertThat(statusOf(PAYMENTS + "/" + paymentId)).isEqualTo("Credited");
    }

    @Test
    void aPaymentAboveTheLimitEndsRejected() throws Exception {
        JsonNode created = tpp.createPayment(token, payment(PAYER, PAYEE, "100000.01"));
        String userToken = authorize(created.get("authorizationId").asText());
        String paymentId = created.get("paymentId").asText();
        tpp.call("PUT", PAYMENTS + "/" + paymentId + "/submissions/big", userToken);

        assertThat(statusOf(PAYMENTS + "/" + paymentId)).isEqualTo("Submitted");
        HttpResponse<byte[]> last = tpp.call("GET", PAYMENTS + "/" + paymentId, token);
        assertThat(json(last).get("status").asText()).isEqualTo("Rejected");
        assertThat(json(last).get("reason").asText()).isEqualTo("InsufficientFunds");
    }

    @Test
    void submittingNeedsAnAuthorizedAuthorizationAndItsOwnToken() throws Exception {
        JsonNode created = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00"));
        String paymentId = created.get("paymentId").asText();

        HttpResponse<byte[]> withClientToken = tpp.call("PUT", PAYMENTS + "/" + paymentId + "/submissions/x", token);
        assertThat(withClientToken.statusCode()).isEqualTo(403);

        String otherAuthorization = tpp.createPayment(token, payment(PAYER, PAYEE, "3.00")).get("authorizationId").asText();
        String tokenForOther = authorize(otherAuthorization);
        HttpResponse<byte[]> withOtherToken = tpp.call("PUT", PAYMENTS + "/" + paymentId + "/submissions/x", tokenForOther);
        assertThat(withOtherToken.statusCode()).isEqualTo(403);

        String userToken = tpp.refresh(tpp.refreshTokenOfSca("88888881", created.get("authorizationId").asText()))
                .get("access_token").asText();
        HttpResponse<byte[]> unauthorized = tpp.call("PUT", PAYMENTS + "/" + paymentId + "/submissions/x", userToken);
        assertThat(unauthorized.statusCode()).isEqualTo(409);
        assertThat(bank.bookings(paymentId)).isZero();
    }

    @Test
    void aDeletedPaymentAndARevokedAuthorizationCannotBeSubmitted() throws Exception {
        JsonNode first = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00"));
        String authorizationId = first.get("authorizationId").asText();
        JsonNode second = tpp.createPayment(token, TppClient.bundled(PAYER, PAYEE, "2.00", authorizationId));
        String userToken = authorize(authorizationId);

        assertThat(tpp.call("DELETE", PAYMENTS + "/" + first.get("paymentId").asText(), token).statusCode()).isEqualTo(204);
        assertThat(statusOf(PAYMENTS + "/" + first.get("paymentId").asText())).isEqualTo("Deleted");
        assertThat(tpp.call("PUT", PAYMENTS + "/" + first.get("paymentId").asText() + "/submissions/a", userToken).statusCode())
                .isEqualTo(409);

        assertThat(tpp.call("DELETE", "/payments-psd2/v1/authorizations/" + authorizationId, token).statusCode()).isEqualTo(204);
        HttpResponse<byte[]> revoked = tpp.call("GET", "/payments-psd2/v1/authorizations/" + authorizationId, token);
        assertThat(json(revoked).get("status").asText()).isEqualTo("Revoked");
        assertThat(tpp.call("PUT", PAYMENTS + "/" + second.get("paymentId").asText() + "/submissions/b", userToken).statusCode())
                .isEqualTo(409);
        assertThat(bank.bookings(second.get("paymentId").asText())).isZero();
    }

    @Test
    void aSubmittedPaymentCannotBeDeleted() throws Exception {
        JsonNode created = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00"));
        String paymentId = created.get("paymentId").asText();
        tpp.call("PUT", PAYMENTS + "/" + paymentId + "/submissions/s", authorize(created.get("authorizationId").asText()));
        HttpResponse<byte[]> response = tpp.call("DELETE", PAYMENTS + "/" + paymentId, token);
        assertThat(response.statusCode()).isEqualTo(409);
    }

    @Test
    void anotherClientsPaymentIsNotFound() throws Exception {
        JsonNode created = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00"));
        bank.state().payments.get(created.get("paymentId").asText()).clientId = "someone-else";
        assertThat(tpp.call("GET", PAYMENTS + "/" + created.get("paymentId").asText(), token).statusCode()).isEqualTo(404);
    }

    /** What the authorize host and the code exchange leave behind: the bundle Authorized and a user token for it. */
    private String authorize(String authorizationId) throws Exception {
        bank.state().authorizations.get(authorizationId).status = AuthorizationStatus.Authorized;
        return tpp.refresh(tpp.refreshTokenOfSca("88888881", authorizationId)).get("access_token").asText();
    }

    private HttpResponse<byte[]> create(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return tpp.createPayment(tpp.paymentHeaders(token, bytes), bytes);
    }

    private String statusOf(String path) throws Exception {
        HttpResponse<byte[]> response = tpp.call("GET", path, token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TppClient.responseSignatureVerifies(response, bank.paymentsJwks())).isTrue();
        return json(response).get("status").asText();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
