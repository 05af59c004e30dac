package org.pisbridge.bankdoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pisbridge.bankdoc.RunningBank.PAYEE;
import static org.pisbridge.bankdoc.RunningBank.PAYER;
import static org.pisbridge.bankdoc.RunningBank.PAYERS_OTHER_ACCOUNT;
import static org.pisbridge.bankdoc.RunningBank.REDIRECT_URI;
import static org.pisbridge.bankdoc.RunningBank.SECOND_PAYEE;
import static org.pisbridge.bankdoc.RunningBank.USER;

import com.nimbusds.jose.jwk.ECKey;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rule of the document (and of OAuth/OIDC where the document relies on them) rejects a request that breaks it. */
class StrictRulesTest {
    @TempDir
    Path dataDir;
    private RunningBank bank;
    private DocumentTpp tpp;
    private String clientToken;

    @BeforeEach
    void startBank() {
        bank = RunningBank.start(dataDir);
        tpp = bank.tpp();
        clientToken = tpp.clientCredentialsToken().accessToken();
    }

    @AfterEach
    void stopBank() {
        bank.close();
    }

    // ---- "All API calls described here are made using mutually authenticated TLS."

    @Test
    void clientWithoutCertificateFailsTheHandshake() {
        DocumentTpp noCertificate = bank.tppOver(bank.browserTls());

        assertThatThrownBy(noCertificate::clientCredentialsToken).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void clientWithCertificateFromAnUntrustedCaFailsTheHandshake() {
        DocumentTpp foreign = bank.tppOver(bank.foreignClientTls());

        assertThatThrownBy(foreign::clientCredentialsToken).isInstanceOf(UncheckedIOException.class);
    }

    // ---- the headers of the payment creation (step 3)

    @Test
    void paymentWithoutApiKeyIsRefused() {
        BankResponse refused = creation("no-api-key").without("x-api-key").send();

        OpErrorBody.assertRefused(refused, "SECURITY", "api", 401, 403);
    }

    @Test
    void paymentWithWrongApiKeyIsRefused() {
        BankResponse refused = creation("wrong-api-key").header("x-api-key", "not-the-app-key").send();

        OpErrorBody.assertRefused(refused, "SECURITY", "api", 401, 403);
    }

    @Test
    void paymentWithoutFinancialIdIsRefused() {
        BankResponse refused = creation("no-financial-id").without("x-fapi-financial-id").send();

        assertThat(refused.status()).isIn(400, 401, 403);
        assertThat(refused.text()).containsIgnoringCase("x-fapi-financial-id");
        assertThat(bank.ledger().payments).isEmpty();
    }

    @Test
    void paymentWithoutIdempotencyKeyIsRefused() {
        BankResponse refused = creation("ignored").without("x-idempotency-key").send();

        OpErrorBody.assertRefused(refused, "VALIDATION", "x-idempotency-key", 400);
    }

    /** "the header x-jws-signature ... will be mandatory starting on June 1st 2020" */
    @Test
    void paymentWithoutSignatureIsRefused() {
        BankResponse refused = creation("no-signature").without("x-jws-signature").send();

        assertThat(refused.status()).isIn(400, 401);
        assertThat(refused.text()).containsIgnoringCase("x-jws-signature");
        assertThat(bank.ledger().payments).isEmpty();
    }

    @Test
    void paymentSignedOverOtherBytesIsRefused() {
        PaymentCreation creation = creation("other-bytes");
        String sentBody = creation.body();
        BankResponse refused = creation
                .signatureOver(sentBody.replace("4.00", "0.04").getBytes(StandardCharsets.UTF_8)).send();

        OpErrorBody.assertRefused(refused, "SECURITY", "signature", 400, 401);
        assertThat(bank.ledger().payments).isEmpty();
    }

    @Test
    void paymentSignedWithAnUnknownKeyIsRefused() {
        ECKey stranger = RegistrationTest.signingKey("unknown-kid");
        BankResponse refused = creation("unknown-key").signedWith(privateKey(stranger), "unknown-kid").send();

        assertThat(refused.status()).isIn(400, 401);
        assertThat(refused.json().path("type").asText()).isEqualTo("SECURITY");
        assertThat(bank.ledger().payments).isEmpty();
    }

    @Test
    void paymentSignedWithAnotherKeyUnderTheRegisteredKidIsRefused() {
        ECKey impostor = RegistrationTest.signingKey(tpp.identity().signingKid());
        BankResponse refused = creation("impostor").signedWith(privateKey(impostor), tpp.identity().signingKid()).send();

        OpErrorBody.assertRefused(refused, "SECURITY", "signature", 400, 401);
    }

    // ---- x-idempotency-key

    @Test
    void replayWithTheSameKeyAndBodyReturnsTheOriginalPayment() {
        String body = SepaPayment.of(PAYER, PAYEE, "4.00").json();
        BankResponse first = tpp.createPayment(clientToken, "idempotent_1", body, null).expect(201, 200);
        BankResponse replay = tpp.createPayment(clientToken, "idempotent_1", body, null).expect(201, 200);

        assertThat(replay.field("paymentId")).isEqualTo(first.field("paymentId"));
        assertThat(replay.field("authorizationId")).isEqualTo(first.field("authorizationId"));
        assertThat(bank.ledger().payments).hasSize(1);
    }

    @Test
    void sameKeyWithAnotherBodyIsRefused() {
        tpp.createPayment(clientToken, "idempotent_2", SepaPayment.of(PAYER, PAYEE, "4.00").json(), null)
                .expect(201, 200);
        BankResponse refused = tpp.createPayment(clientToken, "idempotent_2",
                SepaPayment.of(PAYER, PAYEE, "5.00").json(), null);

        assertThat(refused.status()).isIn(400, 409, 422);
        assertThat(refused.json().path("type").asText()).isIn("VALIDATION", "BUSINESS");
        assertThat(bank.ledger().payments).hasSize(1);
    }

    // ---- the payment body

    @Test
    void payerIbanWithBadChecksumIsRefused() {
        BankResponse refused = tpp.createPayment(clientToken, "bad-payer",
                SepaPayment.of("FI4950009420028731", PAYEE, "4.00").json(), null);

        OpErrorBody.assertRefused(refused, "VALIDATION", "iban", 400);
    }

    @Test
    void payeeIbanWithBadChecksumIsRefused() {
        BankResponse refused = tpp.createPayment(clientToken, "bad-payee",
                SepaPayment.of(PAYER, "FI9112345600000787", "4.00").json(), null);

        OpErrorBody.assertRefused(refused, "VALIDATION", "iban", 400);
    }

    /** amountEUR is a string with two decimals, greater than zero, as in the document's example {@code "4.00"}. */
    @ParameterizedTest
    @ValueSource(strings = {"4.00", "\"4.001\"", "\"0.00\"", "\"-1.00\"", "\"4\""})
    void amountThatIsNotAPositiveTwoDecimalStringIsRefused(String amountJson) {
        String body = "{\"payee\":{\"iban\":\"" + PAYEE + "\",\"name\":\"Test_Person\"},\"payer\":{\"iban\":\""
                + PAYER + "\"},\"message\":\"test_payment\",\"amountEUR\":" + amountJson + "}";
        BankResponse refused = tpp.createPayment(clientToken, "amount", body, null);

        OpErrorBody.assertRefused(refused, "VALIDATION", "amountEUR", 400);
        assertThat(bank.ledger().payments).isEmpty();
    }

    // ---- bundles

    @Test
    void paymentCannotJoinAnotherClientsAuthorization() {
        ECKey key = RegistrationTest.signingKey("second-client");
        BankResponse registered = tpp.register(RegistrationTest.metadata("client_secret_post", key, REDIRECT_URI))
                .expect(201);
        DocumentTpp otherClient = tpp.as(tpp.identity()
                .withClient(registered.field("client_id"), registered.field("client_secret"))
                .withSigningKey(privateKey(key), key.getKeyID()));
        String othersAuthorization = otherClient.createPayment(otherClient.clientCredentialsToken().accessToken(),
                "others", SepaPayment.of(PAYER, PAYEE, "4.00").json(), null).expect(201, 200).field("authorizationId");

        BankResponse refused = tpp.createPayment(clientToken, "mine", SepaPayment.of(PAYER, SECOND_PAYEE, "5.00")
                .json(), othersAuthorization);

        assertThat(refused.status()).isBetween(400, 404);
        assertThat(bank.ledger().authorizations.get(othersAuthorization).paymentIds).hasSize(1);
    }

    @Test
    void paymentCannotJoinAnAuthorizationAlreadyApproved() {
        String authorizationId = createdAuthorization("approved");
        StrongCustomerAuthentication.code(bank, tpp, USER, authorizationId, UUID.randomUUID().toString());

        BankResponse refused = tpp.createPayment(clientToken, "late", SepaPayment.of(PAYER, SECOND_PAYEE, "5.00")
                .json(), authorizationId);

        assertThat(refused.status()).isIn(400, 409);
        assertThat(bank.ledger().authorizations.get(authorizationId).paymentIds).hasSize(1);
    }

    @Test
    void paymentFromAnotherPayerCannotJoinTheBundle() {
        String authorizationId = createdAuthorization("payer-a");

        BankResponse refused = tpp.createPayment(clientToken, "payer-b",
                SepaPayment.of(PAYERS_OTHER_ACCOUNT, SECOND_PAYEE, "5.00").json(), authorizationId);

        assertThat(refused.status()).isIn(400, 409);
        assertThat(bank.ledger().authorizations.get(authorizationId).paymentIds).hasSize(1);
    }

    // ---- the request object and the authorize URL (section 4)

    /** "The values of the parameters MUST match with those in the JWT request." */
    @Test
    void authorizeUrlWhoseResponseTypeDiffersFromTheRequestObjectIsRefused() {
        String authorizationId = createdAuthorization("mismatch");
        String jwt = tpp.requestObject(authorizationId, state(), nonce(), "code id_token");

        assertNoCodeIssued(tpp.authorizeUrl(jwt, "code"));
    }

    @Test
    void authorizeUrlWhoseScopeDiffersFromTheRequestObjectIsRefused() {
        String authorizationId = createdAuthorization("scope-mismatch");
        String jwt = tpp.requestObject(authorizationId, state(), nonce(), "code");

        assertNoCodeIssued(tpp.authorizeUrl(jwt, "code", tpp.identity().clientId(), "openid accounts"));
    }

    /** "aud: Intended audience of the JWT, i.e. the host URL of the API." */
    @Test
    void requestObjectForAnotherAudienceIsRefused() {
        String authorizationId = createdAuthorization("aud");
        String jwt = tpp.requestObjectClaims(authorizationId, state(), nonce(), "code")
                .set("aud", tpp.authorizeBaseUrl()).sign(tpp.identity().signingKey(), tpp.identity().signingKid());

        assertNoCodeIssued(tpp.authorizeUrl(jwt, "code"));
    }

    /** "state ... Must only contain supported characters specified in RFC 4648 Section 5, Table 2." */
    @Test
    void stateOutsideTheBase64UrlAlphabetIsRefused() {
        String authorizationId = createdAuthorization("state");
        String jwt = tpp.requestObject(authorizationId, "bad/state+with=padding", nonce(), "code");

        assertNoCodeIssued(tpp.authorizeUrl(jwt, "code"));
    }

    /** An unregistered redirect URI is never redirected to (RFC 6749 section 4.1.2.1). */
    @Test
    void unregisteredRedirectUriIsRefusedWithoutRedirecting() {
        String authorizationId = createdAuthorization("redirect");
        String unregistered = "https://attacker.example/callback";
        String jwt = tpp.requestObjectClaims(authorizationId, state(), nonce(), "code")
                .set("redirect_uri", unregistered).sign(tpp.identity().signingKey(), tpp.identity().signingKid());

        PageBrowser.Page end = bank.userByHand(USER).tryToApprove(tpp.authorizeUrl(jwt, "code"));

        assertThat(end.leftTo()).isNull();
        assertThat(end.status()).isBetween(400, 499);
    }

    /** "In the default flow, the value must be urn:openbanking:psd2:sca." */
    @Test
    void requestObjectAskingForTheExemptionAcrIsRefused() {
        String authorizationId = createdAuthorization("acr");
        String jwt = tpp.requestObjectClaims(authorizationId, state(), nonce(), "code").acr(RequestObject.ACR_CA)
                .sign(tpp.identity().signingKey(), tpp.identity().signingKid());

        assertNoCodeIssued(tpp.authorizeUrl(jwt, "code"));
    }

    @Test
    void requestObjectSignedWithAnUnknownKeyIsRefused() {
        String authorizationId = createdAuthorization("ro-key");
        ECKey stranger = RegistrationTest.signingKey(tpp.identity().signingKid());
        String jwt = tpp.requestObjectClaims(authorizationId, state(), nonce(), "code")
                .sign(privateKey(stranger), stranger.getKeyID());

        assertNoCodeIssued(tpp.authorizeUrl(jwt, "code"));
    }

    // ---- the code exchange (step 5) and the submission (step 6)

    @Test
    void codeCannotBeExchangedTwice() {
        String code = StrongCustomerAuthentication.code(bank, tpp, USER, createdAuthorization("reuse"), nonce());
        assertThat(tpp.exchangeCode(code, bank.frontDoor().callbackUri()).accessToken()).isNotBlank();

        TokenResponse again = tpp.exchangeCode(code, bank.frontDoor().callbackUri());

        assertThat(again.response().status()).isEqualTo(400);
        assertThat(again.error()).isEqualTo("invalid_grant");
    }

    @Test
    void codeExchangeWithAnotherRedirectUriIsRefused() {
        String code = StrongCustomerAuthentication.code(bank, tpp, USER, createdAuthorization("redirect-exchange"),
                nonce());

        TokenResponse refused = tpp.exchangeCode(code, "https://localhost:8181/oauth/other");

        assertThat(refused.response().status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid_grant");
    }

    @Test
    void submissionWithTheClientCredentialsTokenIsRefused() {
        BankResponse created = creation("submit-cc").send().expect(201, 200);
        StrongCustomerAuthentication.code(bank, tpp, USER, created.field("authorizationId"), nonce());

        BankResponse refused = tpp.submit(clientToken, created.field("paymentId"), "cc-submission");

        assertThat(refused.status()).isIn(401, 403);
        assertThat(bank.ledger().payments.get(created.field("paymentId")).submissionId).isNull();
    }

    private PaymentCreation creation(String idempotencyKey) {
        return tpp.paymentCreation(clientToken, idempotencyKey, SepaPayment.of(PAYER, PAYEE, "4.00").json());
    }

    private String createdAuthorization(String idempotencyKey) {
        return creation(idempotencyKey).send().expect(201, 200).field("authorizationId");
    }

    /** However far the user gets in the bank's pages, the bank issues no code: an error page, or an error redirect. */
    private void assertNoCodeIssued(URI authorizeUrl) {
        PageBrowser.Page end = bank.userByHand(USER).tryToApprove(authorizeUrl);
        if (end.leftTo() == null) {
            assertThat(end.status()).as("error page: %s", end.body()).isBetween(400, 499);
        } else {
            AuthorizeCallback callback = AuthorizeCallback.of(end.leftTo());
            assertThat(callback.params()).doesNotContainKey("code").containsKey("error");
        }
    }

    private static java.security.interfaces.ECPrivateKey privateKey(ECKey key) {
        try {
            return key.toECPrivateKey();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String state() {
        return UUID.randomUUID().toString();
    }

    private static String nonce() {
        return UUID.randomUUID().toString();
    }
}
