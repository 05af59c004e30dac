package org.pisbridge.bankdoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pisbridge.bankdoc.RunningBank.PAYEE;
import static org.pisbridge.bankdoc.RunningBank.PAYER;
import static org.pisbridge.bankdoc.RunningBank.REDIRECT_URI;
import static org.pisbridge.bankdoc.RunningBank.SECOND_PAYEE;
import static org.pisbridge.bankdoc.RunningBank.USER;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.sandbox.model.SandboxPayment;

/**
 * The document's default authorization flow, step by step, with the user's part in the bank's pages done by hand:
 * token → two payments in one bundle → request object → authorize URL → login → consent → callback → code
 * exchange → submit → status until final, every response signature verified.
 */
class DefaultFlowByHandTest {
    private static final int MAX_STATUS_READS = 20;

    @TempDir
    Path dataDir;
    private RunningBank bank;
    private DocumentTpp tpp;

    @BeforeEach
    void startBank() {
        bank = RunningBank.start(dataDir);
        tpp = bank.tpp();
    }

    @AfterEach
    void stopBank() {
        bank.close();
    }

    @Test
    void twoPaymentsInOneBundleAreApprovedInTheBrowserSubmittedAndCredited() {
        TokenResponse client = tpp.clientCredentialsToken();
        assertThat(client.tokenType()).isEqualToIgnoringCase("bearer");
        assertThat(client.scope()).isEqualTo("payments");
        assertThat(client.expiresIn()).isPositive();

        BankResponse first = tpp.createPayment(client.accessToken(), "bundle-first",
                SepaPayment.of(PAYER, PAYEE, "4.00").json(), null).expect(201, 200);
        String authorizationId = first.field("authorizationId");
        assertThat(authorizationId).isNotBlank();
        assertThat(first.field("status")).isEqualTo("Unauthorized");
        assertThat(first.field("amountEUR")).isEqualTo("4.00");
        BankResponse second = tpp.createPayment(client.accessToken(), "bundle-second",
                SepaPayment.of(PAYER, SECOND_PAYEE, "15.50").json(), authorizationId).expect(201, 200);
        assertThat(second.field("authorizationId")).isEqualTo(authorizationId);
        List<String> paymentIds = List.of(first.field("paymentId"), second.field("paymentId"));
        assertThat(paymentIds).doesNotHaveDuplicates().doesNotContainNull();

        String state = UUID.randomUUID().toString();
        String nonce = UUID.randomUUID().toString();
        URI authorizeUrl = tpp.authorizeUrl(tpp.requestObject(authorizationId, state, nonce, "code id_token"),
                "code id_token");
        AuthorizeCallback callback = AuthorizeCallback.of(approveByHand(authorizeUrl));

        assertThat(callback.inFragment()).as("an ID token in the response puts it in the fragment").isTrue();
        assertThat(callback.redirectUri()).isEqualTo(REDIRECT_URI);
        assertThat(callback.param("state")).isEqualTo(state);
        String code = callback.param("code");
        assertThat(code).isNotBlank();
        tpp.idTokenValidator().validateFrontChannel(callback.param("id_token"), nonce, authorizationId, state, code);

        TokenResponse user = tpp.exchangeCode(code);
        assertThat(user.tokenType()).isEqualToIgnoringCase("bearer");
        assertThat(user.scope()).contains("payments");
        assertThat(user.expiresIn()).isPositive();
        tpp.idTokenValidator().validateTokenEndpoint(user.idToken(), nonce, authorizationId, user.accessToken(),
                user.refreshToken());
        assertThat(tpp.authorization(user.accessToken(), authorizationId).expect(200).field("status"))
                .isEqualTo("Authorized");

        for (String paymentId : paymentIds) {
            BankResponse submitted = tpp.submit(user.accessToken(), paymentId, "submission-" + paymentId)
                    .expect(200, 201);
            assertThat(submitted.field("paymentId")).isEqualTo(paymentId);
        }
        for (String paymentId : paymentIds) {
            assertThat(tpp.pollToFinal(user.accessToken(), paymentId, MAX_STATUS_READS).field("status"))
                    .isEqualTo("Credited");
        }
        assertThat(tpp.authorization(user.accessToken(), authorizationId).expect(200).field("status"))
                .isEqualTo("Completed");

        List<SandboxPayment> booked = bank.ledger().payments.values().stream()
                .filter(p -> authorizationId.equals(p.authorizationId)).toList();
        assertThat(booked).extracting(p -> p.paymentId).containsExactlyInAnyOrderElementsOf(paymentIds);
        assertThat(booked).allSatisfy(p -> {
            assertThat(p.status.name()).isEqualTo("Credited");
            assertThat(p.submissionId).isEqualTo("submission-" + p.paymentId);
        });
    }

    @Test
    void responseTypeCodeComesBackInTheQueryAndTheIdTokenFromTheTokenEndpoint() {
        String clientToken = tpp.clientCredentialsToken().accessToken();
        BankResponse created = tpp.createPayment(clientToken, "code-only",
                SepaPayment.of(PAYER, PAYEE, "12.30").json(), null).expect(201, 200);
        String authorizationId = created.field("authorizationId");
        String paymentId = created.field("paymentId");

        String state = UUID.randomUUID().toString();
        String nonce = UUID.randomUUID().toString();
        URI authorizeUrl = tpp.authorizeUrl(tpp.requestObject(authorizationId, state, nonce, "code"), "code");
        AuthorizeCallback callback = AuthorizeCallback.of(approveByHand(authorizeUrl));

        assertThat(callback.inFragment()).isFalse();
        assertThat(callback.redirectUri()).isEqualTo(REDIRECT_URI);
        assertThat(callback.params()).containsEntry("state", state).doesNotContainKey("id_token");
        TokenResponse user = tpp.exchangeCode(callback.param("code"));
        tpp.idTokenValidator().validateTokenEndpoint(user.idToken(), nonce, authorizationId, user.accessToken(),
                user.refreshToken());

        tpp.submit(user.accessToken(), paymentId, "s-" + paymentId).expect(200, 201);
        assertThat(tpp.pollToFinal(user.accessToken(), paymentId, MAX_STATUS_READS).field("status"))
                .isEqualTo("Credited");
    }

    /** Exemption step 5's cURL submits with x-api-key and Authorization only; a TPP following it must be served. */
    @Test
    void submissionWithExactlyTheDocumentsHeadersIsAccepted() {
        String clientToken = tpp.clientCredentialsToken().accessToken();
        BankResponse created = tpp.createPayment(clientToken, "curl-headers",
                SepaPayment.of(PAYER, PAYEE, "3.00").json(), null).expect(201, 200);
        String accessToken = StrongCustomerAuthentication.approve(bank, tpp, USER, created.field("authorizationId"))
                .accessToken();

        BankResponse submitted = tpp.submitAsTheDocumentShows(accessToken, created.field("paymentId"), "111");

        assertThat(submitted.status()).as(submitted.text()).isIn(200, 201);
    }

    /** Section 4.3 by hand: the login page, then the consent page; returns where the bank sends the user. */
    private URI approveByHand(URI authorizeUrl) {
        UserAtTheBank user = bank.userByHand(USER);
        PageBrowser.Page login = user.arrive(authorizeUrl);
        assertThat(login.status()).isEqualTo(200);
        assertThat(UserAtTheBank.loginForm(login)).as("login form").isPresent();

        PageBrowser.Page consent = user.logIn(login);
        assertThat(consent.status()).isEqualTo(200);
        assertThat(consent.leftTo()).as("the bank asks for consent before leaving").isNull();

        PageBrowser.Page back = user.approve(consent);
        assertThat(back.status()).isBetween(300, 399);
        assertThat(back.leftTo()).as("redirect to the TPP").isNotNull();
        return back.leftTo();
    }
}
