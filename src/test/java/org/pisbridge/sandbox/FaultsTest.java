package org.pisbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pisbridge.sandbox.TppClient.PAYMENTS;
import static org.pisbridge.sandbox.TppClient.json;
import static org.pisbridge.sandbox.TppClient.payment;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault injection on the API host, as the runtime's retry and verification paths meet it. */
class FaultsTest {
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

    @AfterEach
    void clear() {
        bank.faults().clear();
    }

    @Test
    void anInjectedStatusAnswersWithOpsErrorBodyThenPasses() throws Exception {
        bank.faults().status("POST", PAYMENTS, 503, 1);
        byte[] body = payment(PAYER, PAYEE, "1.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);

        HttpResponse<byte[]> failed = tpp.createPayment(headers, body);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(json(failed).get("type").asText()).isEqualTo("TECHNICAL");
        assertThat(json(failed).get("id").asText()).isNotBlank();
        assertThat(bank.state().paymentsByIdempotencyKey).doesNotContainKey(tpp.clientId + "|" + headers.get("x-idempotency-key"));

        assertThat(tpp.createPayment(headers, body).statusCode()).isEqualTo(201);
    }

    @Test
    void authorizeErrorsAreTakenPerStepForTheirUsesAndCleared() {
        Faults faults = new Faults()
                .authorizeError(AuthorizeStep.CONSENT, "server_error", "at consent", 2)
                .authorizeError(AuthorizeStep.AUTHORIZE, "temporarily_unavailable", "at authorize", 1);

        assertThat(faults.takeAuthorizeError(AuthorizeStep.AUTHORIZE)).contains(
                new Faults.AuthorizeError(AuthorizeStep.AUTHORIZE, "temporarily_unavailable", "at authorize"));
        assertThat(faults.takeAuthorizeError(AuthorizeStep.AUTHORIZE)).isEmpty();
        assertThat(faults.takeAuthorizeError(AuthorizeStep.CONSENT)).map(Faults.AuthorizeError::description)
                .contains("at consent");
        faults.clear();
        assertThat(faults.takeAuthorizeError(AuthorizeStep.CONSENT)).isEmpty();
        assertThatThrownBy(() -> faults.authorizeError(AuthorizeStep.CONSENT, "server_error", "never", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tooManyRequestsCarriesRetryAfter() throws Exception {
        bank.faults().tooManyRequests("POST", "/oauth/token", 7, 1);
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "client_credentials", "scope", "payments"));
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("7");
    }

    @Test
    void aDroppedConnectionGivesTheClientNoAnswerAndBooksNothing() throws Exception {
        bank.faults().of(Faults.Kind.DROP_CONNECTION, "POST", PAYMENTS, 1);
        byte[] body = payment(PAYER, PAYEE, "1.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        TppClient fresh = new TppClient(bank);

        assertThatThrownBy(() -> fresh.createPayment(headers, body)).isInstanceOf(IOException.class);
        assertThat(bank.state().paymentsByIdempotencyKey).doesNotContainKey(tpp.clientId + "|" + headers.get("x-idempotency-key"));
    }

    @Test
    void aDropAfterProcessingKeepsTheWorkAndTheRetryFindsIt() throws Exception {
        bank.faults().of(Faults.Kind.DROP_AFTER_PROCESSING, "POST", PAYMENTS, 1);
        byte[] body = payment(PAYER, PAYEE, "2.00").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = tpp.paymentHeaders(token, body);
        TppClient fresh = new TppClient(bank);

        assertThatThrownBy(() -> fresh.createPayment(headers, body)).isInstanceOf(IOException.class);
        String created = bank.state().paymentsByIdempotencyKey.get(tpp.clientId + "|" + headers.get("x-idempotency-key"));
        assertThat(created).isNotNull();

        HttpResponse<byte[]> retry = tpp.createPayment(headers, body);
        assertThat(json(retry).get("paymentId").asText()).isEqualTo(created);
    }

    @Test
    void aBadResponseSignatureDoesNotVerify() throws Exception {
        bank.faults().of(Faults.Kind.BAD_RESPONSE_SIGNATURE, "POST", PAYMENTS, 1);
        byte[] body = payment(PAYER, PAYEE, "1.00").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = tpp.createPayment(tpp.paymentHeaders(token, body), body);
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(TppClient.responseSignatureVerifies(response, bank.paymentsJwks())).isFalse();
    }

    @Test
    void aMissingResponseSignatureIsMissing() throws Exception {
        bank.faults().of(Faults.Kind.MISSING_RESPONSE_SIGNATURE, "GET", PAYMENTS, 1);
        String paymentId = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00")).get("paymentId").asText();
        HttpResponse<byte[]> unsigned = tpp.call("GET", PAYMENTS + "/" + paymentId, token);
        assertThat(unsigned.statusCode()).isEqualTo(200);
        assertThat(unsigned.headers().firstValue("x-jws-signature")).isEmpty();
        assertThat(tpp.call("GET", PAYMENTS + "/" + paymentId, token).headers().firstValue("x-jws-signature")).isPresent();
    }

    @Test
    void aDelayedRequestIsAnsweredNormally() throws Exception {
        bank.faults().delay("GET", PAYMENTS, Duration.ofMillis(50), 1);
        String paymentId = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00")).get("paymentId").asText();
        assertThat(tpp.call("GET", PAYMENTS + "/" + paymentId, token).statusCode()).isEqualTo(200);
    }

    @Test
    void aFaultAppliesOnlyToItsMethodAndPath() throws Exception {
        bank.faults().status("GET", "/payments-psd2/v1/authorizations", 500, 1);
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "client_credentials", "scope", "payments"));
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
