package org.pisbridge.sandbox.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pisbridge.sandbox.AuthorizeStep;
import org.pisbridge.sandbox.model.AuthorizationCode;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.PaymentStatus;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;

/** The login and consent pages, and what Approve and Reject do to the ledger and tell the TPP. */
class ConsentFlowTest {
    private static TestBank bank;
    private SandboxAuthorization authorization;
    private String state;
    private String nonce;

    @BeforeAll
    static void start() throws Exception {
        bank = new TestBank();
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @AfterEach
    void disarm() {
        bank.ctx.faults().clear();
    }

    @BeforeEach
    void newAuthorization() {
        authorization = bank.authorization();
        state = UUID.randomUUID().toString();
        nonce = UUID.randomUUID().toString();
    }

    @Test
    void aWrongPasswordShowsTheLoginPageAgainAndTheThirdEndsTheAttempt() throws Exception {
        Browser browser = new Browser(bank.trust);
        HttpResponse<String> page = start(browser, "code");
        String session = Browser.sessionField(page.body());

        HttpResponse<String> first = login(browser, session, "88888881", "wrong");
        assertThat(first.statusCode()).isEqualTo(401);
        assertThat(first.body()).contains("Wrong user ID or password. 2 tries left.", "name=\"password\"");
        HttpResponse<String> second = login(browser, session, "99999999", "11221122");
        assertThat(second.body()).contains("Wrong user ID or password. 1 try left.");
        HttpResponse<String> third = login(browser, session, "88888881", "11221123");

        assertThat(third.statusCode()).isEqualTo(303);
        assertThat(answer(third)).containsEntry("state", state).containsEntry("error", "access_denied")
                .containsEntry("error_description", "too many failed login attempts");
        assertThat(login(browser, session, "88888881", "11221122").statusCode()).isEqualTo(400);
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
    }

    @Test
    void aPostMustCarryTheSessionInBothCookieAndForm() throws Exception {
        Browser browser = new Browser(bank.trust);
        String session = Browser.sessionField(start(browser, "code").body());

        HttpResponse<String> withoutCookie = login(new Browser(bank.trust), session, "88888881", "11221122");
        assertThat(withoutCookie.statusCode()).isEqualTo(400);
        assertThat(withoutCookie.body()).contains("Your session has expired or is not valid in this browser.");
        HttpResponse<String> otherField = login(browser, session.substring(1), "88888881", "11221122");
        assertThat(otherField.statusCode()).isEqualTo(400);

        assertThat(login(browser, session, "88888881", "11221122").statusCode()).isEqualTo(200);
    }

    @Test
    void theConsentPageListsEveryPaymentWithTotalCountAndPayerAccount() throws Exception {
        Browser browser = new Browser(bank.trust);
        HttpResponse<String> consent = loggedIn(browser, "code", "88888881");

        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains(
                "Acme Supplies Oy", "FI2112345600000785", "Invoice 1001", "120.50 EUR",
                "Berg &amp; Söner &lt;AB&gt;", "SE4550000000058398257466", "Invoice 1002", "79.45 EUR",
                "Total of 2 payments", "199.95 EUR", TestBank.PAYER, "Test TPP " + TestBank.CLIENT_ID,
                "name=\"decision\" value=\"approve\"", "name=\"decision\" value=\"reject\"");
        assertThat(consent.body()).doesNotContain("<script");
    }

    @Test
    void approvingWithResponseTypeCodeSendsStateAndCodeInTheQuery() throws Exception {
        Browser browser = new Browser(bank.trust);
        HttpResponse<String> redirect = decide(browser, loggedIn(browser, "code", "88888881"), "approve");

        assertThat(redirect.statusCode()).isEqualTo(303);
        String location = Browser.location(redirect);
        assertThat(location).startsWith(TestBank.REDIRECT_URI + "?state=" + state + "&code=");
        Map<String, String> answer = answer(redirect);
        assertThat(answer).containsOnlyKeys("state", "code");

        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Authorized);
        assertThat(authorization.userId).isEqualTo("88888881");
        assertThat(authorization.paymentIds).allSatisfy(id ->
                assertThat(bank.payment(id).status).isEqualTo(PaymentStatus.Authorized));
        AuthorizationCode code = bank.ctx.state().codes.get(answer.get("code"));
        assertThat(code).isNotNull();
        assertThat(code.clientId).isEqualTo(TestBank.CLIENT_ID);
        assertThat(code.redirectUri).isEqualTo(TestBank.REDIRECT_URI);
        assertThat(code.authorizationId).isEqualTo(authorization.authorizationId);
        assertThat(code.userId).isEqualTo("88888881");
        assertThat(code.nonce).isEqualTo(nonce);
        assertThat(code.scope).isEqualTo("openid payments");
        assertThat(code.used).isFalse();
        assertThat(code.expiresAt).isAfter(Instant.now()).isBefore(Instant.now().plus(bank.ctx.settings().codeTtl()).plusSeconds(1));
        assertThat(redirect.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).contains("Max-Age=0"));
    }

    @Test
    void approvingWithResponseTypeCodeIdTokenSendsAVerifiableIdTokenInTheFragment() throws Exception {
        Browser browser = new Browser(bank.trust);
        HttpResponse<String> redirect = decide(browser, loggedIn(browser, "code id_token", "88888881"), "approve");

        String location = Browser.location(redirect);
        assertThat(location).startsWith(TestBank.REDIRECT_URI + "#state=" + state + "&code=").doesNotContain("?");
        Map<String, String> answer = Browser.parameters(location.substring(location.indexOf('#') + 1));
        assertThat(answer).containsOnlyKeys("state", "code", "id_token");

        HttpResponse<String> jwksDocument = browser.get(URI.create(bank.baseUrl + "/oauth/jwks/PSD2_OIDC"));
        JWKSet published = JWKSet.parse(jwksDocument.body());
        IdTokenDefects expected = new IdTokenDefects(bank.baseUrl, TestBank.CLIENT_ID, nonce,
                authorization.authorizationId, Map.of("s_hash", state, "c_hash", answer.get("code")));
        assertThat(expected.of(answer.get("id_token"), published)).isEmpty();
        assertThat(bank.ctx.state().codes).containsKey(answer.get("code"));
    }

    @Test
    void rejectingTellsTheTppAccessDeniedAndRejectsThePayments() throws Exception {
        Browser browser = new Browser(bank.trust);
        HttpResponse<String> redirect = decide(browser, loggedIn(browser, "code id_token", "88888881"), "reject");

        assertThat(Browser.location(redirect)).startsWith(TestBank.REDIRECT_URI + "?");
        assertThat(answer(redirect)).containsEntry("state", state).containsEntry("error", "access_denied")
                .doesNotContainKeys("code", "id_token");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Rejected);
        assertThat(authorization.paymentIds).allSatisfy(id ->
                assertThat(bank.payment(id).status).isEqualTo(PaymentStatus.Rejected));
        assertThat(codesOf(authorization)).isZero();
    }

    @Test
    void aDecidedAuthorizationCannotBeDecidedAgain() throws Exception {
        Browser first = new Browser(bank.trust);
        Browser second = new Browser(bank.trust);
        HttpResponse<String> firstConsent = loggedIn(first, "code", "88888881");
        nonce = UUID.randomUUID().toString();
        HttpResponse<String> secondConsent = loggedIn(second, "code", "88888881");

        assertThat(decide(first, firstConsent, "approve").statusCode()).isEqualTo(303);
        HttpResponse<String> again = decide(second, secondConsent, "approve");

        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("already Authorized; it cannot be decided again");
        assertThat(decide(first, firstConsent, "reject").statusCode()).isEqualTo(400);
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Authorized);
        assertThat(codesOf(authorization)).isEqualTo(1);
    }

    @Test
    void aUserWhoDoesNotOwnThePayerAccountIsDenied() throws Exception {
        Browser browser = new Browser(bank.trust);
        HttpResponse<String> page = start(browser, "code");
        HttpResponse<String> redirect = login(browser, Browser.sessionField(page.body()), "88888882", "11221122");

        assertThat(redirect.statusCode()).isEqualTo(303);
        assertThat(answer(redirect)).containsEntry("error", "access_denied")
                .containsEntry("error_description", "the payer account is not one of the user's accounts");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
    }

    @Test
    void paymentsAddedWhileTheUserReadsTheConsentPageAreNotApproved() throws Exception {
        Browser browser = new Browser(bank.trust);
        HttpResponse<String> consent = loggedIn(browser, "code", "88888881");
        SandboxPayment late = new SandboxPayment();
        late.paymentId = UUID.randomUUID().toString();
        late.authorizationId = authorization.authorizationId;
        late.payerIban = TestBank.PAYER;
        late.payeeIban = "FI2112345600000785";
        late.payeeName = "Late Payee";
        late.amountEUR = new BigDecimal("5000.00");
        bank.ctx.state().payments.put(late.paymentId, late);
        authorization.paymentIds.add(late.paymentId);

        HttpResponse<String> refused = decide(browser, consent, "approve");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("changed while you were reviewing them");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
        assertThat(late.status).isEqualTo(PaymentStatus.Unauthorized);
    }

    @Test
    void anInjectedAuthorizeErrorSendsTheUserBackInsteadOfTheLoginPage() throws Exception {
        bank.ctx.faults().authorizeError(AuthorizeStep.AUTHORIZE, "temporarily_unavailable",
                "The service is temporarily unavailable", 1);
        Browser browser = new Browser(bank.trust);

        HttpResponse<String> sentBack = browser.get(authorizeUrl("code id_token"));

        assertThat(sentBack.statusCode()).isEqualTo(303);
        assertThat(Browser.location(sentBack)).isEqualTo(TestBank.REDIRECT_URI + "?state=" + state
                + "&error=temporarily_unavailable&error_description=The%20service%20is%20temporarily%20unavailable");
        assertThat(sentBack.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(bank.ctx.state().authorizeRequests()).last().satisfies(seen -> assertThat(seen.nonce()).isEqualTo(nonce));
        nonce = UUID.randomUUID().toString();
        assertThat(answer(decide(browser, loggedIn(browser, "code", "88888881"), "approve"))).containsKey("code");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Authorized);
    }

    @Test
    void anInjectedAuthorizeErrorIsTakenOncePerArmedUseAndOnlyByAValidRequest() throws Exception {
        bank.ctx.faults().authorizeError(AuthorizeStep.AUTHORIZE, "temporarily_unavailable", "try later", 2);
        Browser browser = new Browser(bank.trust);
        URI unregistered = bank.authorizeUrl(authorization.authorizationId, "code",
                c -> c.claim("redirect_uri", "https://elsewhere.example/callback"));
        assertThat(browser.get(unregistered).statusCode()).isEqualTo(400);

        for (int use = 0; use < 2; use++) {
            nonce = UUID.randomUUID().toString();
            HttpResponse<String> sentBack = browser.get(authorizeUrl("code"));
            assertThat(answer(sentBack)).containsEntry("error", "temporarily_unavailable")
                    .containsEntry("error_description", "try later");
        }
        nonce = UUID.randomUUID().toString();
        assertThat(start(browser, "code").body()).contains("name=\"password\"");
    }

    @Test
    void anInjectedConsentErrorApprovesNothingAndANewRequestCanStillBeApproved() throws Exception {
        bank.ctx.faults().authorizeError(AuthorizeStep.CONSENT, "server_error", "approval failed", 1);
        Browser browser = new Browser(bank.trust);

        HttpResponse<String> failed = decide(browser, loggedIn(browser, "code id_token", "88888881"), "approve");

        assertThat(failed.statusCode()).isEqualTo(303);
        assertThat(answer(failed)).containsExactly(entry("state", state), entry("error", "server_error"),
                entry("error_description", "approval failed"));
        assertThat(failed.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
        assertThat(authorization.userId).isNull();
        assertThat(authorization.paymentIds).allSatisfy(id ->
                assertThat(bank.payment(id).status).isEqualTo(PaymentStatus.Unauthorized));
        assertThat(codesOf(authorization)).isZero();

        nonce = UUID.randomUUID().toString();
        HttpResponse<String> approved = decide(browser, loggedIn(browser, "code", "88888881"), "approve");
        assertThat(answer(approved)).containsOnlyKeys("state", "code");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Authorized);
        assertThat(authorization.paymentIds).allSatisfy(id ->
                assertThat(bank.payment(id).status).isEqualTo(PaymentStatus.Authorized));
        assertThat(codesOf(authorization)).isEqualTo(1);
    }

    @Test
    void theUsersRejectStillRejectsAndLeavesAnInjectedConsentErrorArmed() throws Exception {
        bank.ctx.faults().authorizeError(AuthorizeStep.CONSENT, "server_error", "approval failed", 1);
        Browser browser = new Browser(bank.trust);

        HttpResponse<String> rejected = decide(browser, loggedIn(browser, "code", "88888881"), "reject");
        assertThat(answer(rejected)).containsEntry("error", "access_denied");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Rejected);

        authorization = bank.authorization();
        nonce = UUID.randomUUID().toString();
        HttpResponse<String> failed = decide(browser, loggedIn(browser, "code", "88888881"), "approve");
        assertThat(answer(failed)).containsEntry("error", "server_error");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
    }

    @Test
    void theFormsAcceptOnlyPost() throws Exception {
        HttpResponse<String> response = new Browser(bank.trust).get(URI.create(bank.baseUrl + "/oauth/authorize/login"));
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    private HttpResponse<String> start(Browser browser, String responseType) throws Exception {
        HttpResponse<String> page = browser.get(authorizeUrl(responseType));
        assertThat(page.statusCode()).isEqualTo(200);
        return page;
    }

    /** The authorize URL for this test's authorization, state and nonce. */
    private URI authorizeUrl(String responseType) throws Exception {
        JWTClaimsSet claims = TestBank.requestClaims(authorization.authorizationId, responseType, TestBank.REDIRECT_URI)
                .claim("state", state).claim("nonce", nonce).build();
        return bank.authorizeUrl(bank.sign(claims), responseType, TestBank.CLIENT_ID, "openid payments");
    }

    private HttpResponse<String> loggedIn(Browser browser, String responseType, String user) throws Exception {
        HttpResponse<String> page = start(browser, responseType);
        return login(browser, Browser.sessionField(page.body()), user, "11221122");
    }

    private HttpResponse<String> login(Browser browser, String session, String user, String password) throws Exception {
        return browser.post(URI.create(bank.baseUrl + "/oauth/authorize/login"),
                Map.of("session", session, "username", user, "password", password));
    }

    private HttpResponse<String> decide(Browser browser, HttpResponse<String> consentPage, String decision)
            throws Exception {
        assertThat(consentPage.statusCode()).isEqualTo(200);
        return browser.post(URI.create(bank.baseUrl + "/oauth/authorize/consent"),
                Map.of("session", Browser.sessionField(consentPage.body()), "decision", decision));
    }

    private static Map<String, String> answer(HttpResponse<String> redirect) {
        String location = Browser.location(redirect);
        assertThat(location).startsWith(TestBank.REDIRECT_URI + "?");
        return Browser.parameters(location.substring(location.indexOf('?') + 1));
    }

    private static long codesOf(SandboxAuthorization authorization) {
        return bank.ctx.state().codes.values().stream()
                .filter(c -> c.authorizationId.equals(authorization.authorizationId)).count();
    }
}
