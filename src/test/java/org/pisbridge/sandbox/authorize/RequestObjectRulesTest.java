package org.pisbridge.sandbox.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pisbridge.sandbox.AuthorizeRequestSeen;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.SandboxAuthorization;

/** Each rule of OP's request object (§4.1–4.2) refuses a request that breaks it, over real HTTPS. */
class RequestObjectRulesTest {
    private static TestBank bank;
    private Browser browser;
    private SandboxAuthorization authorization;

    @BeforeAll
    static void start() throws Exception {
        bank = new TestBank();
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @BeforeEach
    void newAuthorization() {
        browser = new Browser(bank.trust);
        authorization = bank.authorization();
    }

    @Test
    void aValidRequestShowsTheLoginPageWithASecureSessionCookie() throws Exception {
        HttpResponse<String> page = browser.get(bank.authorizeUrl(authorization.authorizationId, "code", c -> { }));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<form method=\"post\"", "name=\"username\"", "type=\"password\"");
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly", "Secure", "SameSite=Lax")
                .startsWith("sandbox_authorize_session=" + Browser.sessionField(page.body()) + ";");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
    }

    @Test
    void queryResponseTypeMustEqualTheRequestObjects() throws Exception {
        String jwt = bank.sign(TestBank.requestClaims(authorization.authorizationId, "code id_token",
                TestBank.REDIRECT_URI).build());
        assertRefusedToClient(bank.authorizeUrl(jwt, "code", TestBank.CLIENT_ID, "openid payments"),
                "response_type must equal");
    }

    @Test
    void queryScopeMustEqualTheRequestObjects() throws Exception {
        String jwt = bank.sign(TestBank.requestClaims(authorization.authorizationId, "code", TestBank.REDIRECT_URI).build());
        assertRefusedToClient(bank.authorizeUrl(jwt, "code", TestBank.CLIENT_ID, "payments openid"),
                "scope must equal");
    }

    @Test
    void queryClientIdMustEqualTheRequestObjects() throws Exception {
        String jwt = bank.sign(TestBank.requestClaims(authorization.authorizationId, "code", TestBank.REDIRECT_URI).build());
        assertRefusedOnPage(bank.authorizeUrl(jwt, "code", TestBank.OTHER_CLIENT_ID, "openid payments"),
                "not validly signed by client " + TestBank.OTHER_CLIENT_ID);
    }

    @Test
    void everyQueryParameterIsRequired() throws Exception {
        String jwt = bank.sign(TestBank.requestClaims(authorization.authorizationId, "code", TestBank.REDIRECT_URI).build());
        URI withoutScope = URI.create(bank.baseUrl + "/oauth/authorize?request=" + jwt
                + "&response_type=code&client_id=" + TestBank.CLIENT_ID);
        assertRefusedOnPage(withoutScope, "query parameter scope is missing");
    }

    @Test
    void anUnknownClientIsRefused() throws Exception {
        String jwt = bank.sign(TestBank.requestClaims(authorization.authorizationId, "code", TestBank.REDIRECT_URI).build());
        assertRefusedOnPage(bank.authorizeUrl(jwt, "code", "no-such-client", "openid payments"),
                "no-such-client is not a registered client");
    }

    @Test
    void audienceMustBeTheApiHost() throws Exception {
        assertRefusedToClient(url(c -> c.audience("https://authorize.sandbox.test")), "aud must be " + TestBank.API_BASE_URL);
    }

    @Test
    void issuerMustBeTheClient() throws Exception {
        assertRefusedToClient(url(c -> c.issuer(TestBank.OTHER_CLIENT_ID)), "iss must be the client_id");
    }

    @Test
    void clientIdClaimMustBeTheClient() throws Exception {
        assertRefusedOnPage(url(c -> c.claim("client_id", TestBank.OTHER_CLIENT_ID)), "client_id of the request object");
    }

    @Test
    void redirectUriMustBeRegisteredExactly() throws Exception {
        assertRefusedOnPage(url(c -> c.claim("redirect_uri", TestBank.REDIRECT_URI + "/")), "is not registered");
        assertRefusedOnPage(url(c -> c.claim("redirect_uri", null)), "redirect_uri is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"c3RhdGU=", "two words", "dotted.state", "plus+state", "slash/state", "ääkkönen"})
    void stateMayUseOnlyTheBase64UrlAlphabet(String state) throws Exception {
        Map<String, String> answer = assertRefusedToClient(url(c -> c.claim("state", state)), "state may contain only");
        assertThat(answer).doesNotContainKey("state");
    }

    @Test
    void stateWithTheWholeBase64UrlAlphabetIsAccepted() throws Exception {
        String state = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        assertThat(browser.get(url(c -> c.claim("state", state))).statusCode()).isEqualTo(200);
    }

    @Test
    void stateIsRequired() throws Exception {
        assertRefusedToClient(url(c -> c.claim("state", null)), "state is missing");
    }

    @Test
    void nonceIsRequired() throws Exception {
        assertRefusedToClient(url(c -> c.claim("nonce", null)), "nonce is missing");
    }

    @Test
    void theSameRequestObjectOpenedTwiceIsRefusedTheSecondTime() throws Exception {
        URI url = url(c -> c.claim("state", "opened-twice"));
        assertThat(browser.get(url).statusCode()).isEqualTo(200);

        assertThat(assertNonceReused(url)).containsEntry("state", "opened-twice");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
    }

    @Test
    void aNonceIsRefusedInAnyLaterRequestObjectOfTheClient() throws Exception {
        String nonce = UUID.randomUUID().toString();
        assertThat(browser.get(url(c -> c.claim("nonce", nonce))).statusCode()).isEqualTo(200);
        SandboxAuthorization another = bank.authorization();

        URI later = bank.authorizeUrl(another.authorizationId, "code id_token",
                c -> c.claim("nonce", nonce).claim("state", "later-request"));
        assertThat(assertNonceReused(later)).containsEntry("state", "later-request");
    }

    @Test
    void aRefusedRequestDoesNotSpendItsNonce() throws Exception {
        String nonce = UUID.randomUUID().toString();
        assertRefusedToClient(url(c -> c.claim("nonce", nonce).audience("https://authorize.sandbox.test")),
                "aud must be");
        assertRefusedOnPage(url(c -> c.claim("nonce", nonce).claim("redirect_uri", "https://elsewhere.example/cb")),
                "is not registered");

        assertThat(browser.get(url(c -> c.claim("nonce", nonce))).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherClientMayUseTheSameNonce() throws Exception {
        String nonce = UUID.randomUUID().toString();
        assertThat(browser.get(url(c -> c.claim("nonce", nonce))).statusCode()).isEqualTo(200);
        SandboxAuthorization theirs = bank.authorization(TestBank.OTHER_CLIENT_ID, TestBank.PAYER);
        JWTClaimsSet claims = TestBank.requestClaims(theirs.authorizationId, "code", TestBank.REDIRECT_URI)
                .issuer(TestBank.OTHER_CLIENT_ID).claim("client_id", TestBank.OTHER_CLIENT_ID)
                .claim("nonce", nonce).build();

        URI theirUrl = bank.authorizeUrl(TestBank.sign(claims, bank.otherClientKey), "code", TestBank.OTHER_CLIENT_ID,
                "openid payments");
        assertThat(browser.get(theirUrl).statusCode()).isEqualTo(200);
    }

    @Test
    void everyAcceptedRequestIsListedInOrder() throws Exception {
        int before = bank.ctx.state().authorizeRequests().size();
        Instant start = Instant.now();
        SandboxAuthorization second = bank.authorization();
        URI first = url(c -> c.claim("state", "first").claim("nonce", "nonce-first-" + start.toEpochMilli()));
        assertThat(browser.get(first).statusCode()).isEqualTo(200);
        assertRefusedToClient(url(c -> c.claim("max_age", null)), "max_age");
        assertThat(browser.get(bank.authorizeUrl(second.authorizationId, "code id_token", c -> c.claim("state", "second")
                .claim("nonce", "nonce-second-" + start.toEpochMilli()))).statusCode()).isEqualTo(200);
        assertNonceReused(first);

        List<AuthorizeRequestSeen> all = bank.ctx.state().authorizeRequests();
        assertThat(all.subList(before, all.size()))
                .extracting(AuthorizeRequestSeen::clientId, AuthorizeRequestSeen::authorizationId,
                        AuthorizeRequestSeen::state, AuthorizeRequestSeen::nonce)
                .containsExactly(
                        tuple(TestBank.CLIENT_ID, authorization.authorizationId, "first", "nonce-first-" + start.toEpochMilli()),
                        tuple(TestBank.CLIENT_ID, second.authorizationId, "second", "nonce-second-" + start.toEpochMilli()));
        assertThat(all.subList(before, all.size())).allSatisfy(seen ->
                assertThat(seen.at()).isBetween(start, Instant.now()));
        assertThatThrownBy(() -> all.add(all.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void maxAgeMustBeANumber() throws Exception {
        assertRefusedToClient(url(c -> c.claim("max_age", "86400")), "max_age");
        assertRefusedToClient(url(c -> c.claim("max_age", null)), "max_age");
    }

    @Test
    void scopeMustBeOpenidPayments() throws Exception {
        JWTClaimsSet claims = TestBank.requestClaims(authorization.authorizationId, "code", TestBank.REDIRECT_URI)
                .claim("scope", "openid accounts").build();
        assertRefusedToClient(bank.authorizeUrl(bank.sign(claims), "code", TestBank.CLIENT_ID, "openid accounts"),
                "scope must be 'openid payments'");
    }

    @Test
    void responseTypeMustBeCodeOrCodeIdToken() throws Exception {
        JWTClaimsSet claims = TestBank.requestClaims(authorization.authorizationId, "token", TestBank.REDIRECT_URI).build();
        assertRefusedToClient(bank.authorizeUrl(bank.sign(claims), "token", TestBank.CLIENT_ID, "openid payments"),
                "response_type must be 'code' or 'code id_token'");
    }

    @Test
    void acrMustAskForStrongCustomerAuthentication() throws Exception {
        assertRefusedToClient(url(c -> c.claim("claims", claims(authorization.authorizationId,
                authorization.authorizationId, List.of("urn:openbanking:psd2:ca")))), "acr.values");
    }

    @Test
    void userinfoAndIdTokenMustNameTheSameAuthorization() throws Exception {
        SandboxAuthorization other = bank.authorization();
        assertRefusedToClient(url(c -> c.claim("claims", claims(authorization.authorizationId,
                other.authorizationId, List.of("urn:openbanking:psd2:sca")))), "must equal claims.id_token.authorizationId");
    }

    @Test
    void anUnknownAuthorizationIsRefused() throws Exception {
        String unknown = UUID.randomUUID().toString();
        assertRefusedToClient(url(c -> c.claim("claims", claims(unknown, unknown, List.of("urn:openbanking:psd2:sca")))),
                "is not an authorization of client");
    }

    @Test
    void anotherClientsAuthorizationIsRefused() throws Exception {
        SandboxAuthorization foreign = bank.authorization(TestBank.OTHER_CLIENT_ID, TestBank.PAYER);
        assertRefusedToClient(url(c -> c.claim("claims", claims(foreign.authorizationId, foreign.authorizationId,
                List.of("urn:openbanking:psd2:sca")))), "is not an authorization of client " + TestBank.CLIENT_ID);
    }

    @Test
    void anAuthorizationThatIsNoLongerUnauthorizedIsRefused() throws Exception {
        authorization.status = AuthorizationStatus.Authorized;
        assertRefusedToClient(url(c -> { }), "is Authorized; only an Unauthorized authorization");
    }

    @Test
    void anExpiredRequestObjectIsRefused() throws Exception {
        assertRefusedToClient(url(c -> c.expirationTime(new Date(System.currentTimeMillis() - 60_000))), "expired");
    }

    @Test
    void aSignatureByAnotherKeyUnderTheRegisteredKidIsRefused() throws Exception {
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(bank.clientKey.getKeyID()).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(impostor.getKeyID()).build(), validClaims());
        jwt.sign(new ECDSASigner(impostor));
        assertRefusedOnPage(bank.authorizeUrl(jwt.serialize(), "code", TestBank.CLIENT_ID, "openid payments"),
                "not validly signed");
    }

    @Test
    void anUnsignedRequestObjectIsRefused() throws Exception {
        String jwt = new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(), validClaims()).serialize();
        assertRefusedOnPage(bank.authorizeUrl(jwt, "code", TestBank.CLIENT_ID, "openid payments"), "alg none is refused");
    }

    @Test
    void anHmacRequestObjectIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT)
                .keyID(bank.clientKey.getKeyID()).build(), validClaims());
        jwt.sign(new MACSigner(new byte[32]));
        assertRefusedOnPage(bank.authorizeUrl(jwt.serialize(), "code", TestBank.CLIENT_ID, "openid payments"),
                "alg HS256 is refused");
    }

    @Test
    void aRequestObjectWithoutKidIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(),
                validClaims());
        jwt.sign(new ECDSASigner(bank.clientKey));
        assertRefusedOnPage(bank.authorizeUrl(jwt.serialize(), "code", TestBank.CLIENT_ID, "openid payments"), "no kid");
    }

    private JWTClaimsSet validClaims() {
        return TestBank.requestClaims(authorization.authorizationId, "code", TestBank.REDIRECT_URI).build();
    }

    private URI url(Consumer<JWTClaimsSet.Builder> tweak) throws Exception {
        return bank.authorizeUrl(authorization.authorizationId, "code", tweak);
    }

    private static Map<String, Object> claims(String idTokenAuthorizationId, String userinfoAuthorizationId,
                                              List<String> acr) {
        return Map.of(
                "userinfo", Map.of("authorizationId", Map.of("value", userinfoAuthorizationId, "essential", true)),
                "id_token", Map.of("authorizationId", Map.of("value", idTokenAuthorizationId, "essential", true),
                        "acr", Map.of("essential", true, "values", acr)));
    }

    /** The user lands on the TPP's redirect_uri with {@code error=invalid_request}; nothing is authorized. */
    private Map<String, String> assertRefusedToClient(URI url, String reason) throws Exception {
        Map<String, String> answer = refusedToClient(url, "invalid_request");
        assertThat(answer.get("error_description")).contains(reason);
        return answer;
    }

    /** {@code error=invalid_request_object} with a description starting with the code named for this rule. */
    private Map<String, String> assertNonceReused(URI url) throws Exception {
        Map<String, String> answer = refusedToClient(url, "invalid_request_object");
        assertThat(answer.get("error_description")).startsWith("REQOBJ_NONCE_REUSED: this nonce was already used");
        return answer;
    }

    /** The redirect to the TPP with {@code error}; no code, no session cookie. */
    private Map<String, String> refusedToClient(URI url, String error) throws Exception {
        HttpResponse<String> response = browser.get(url);
        assertThat(response.statusCode()).isEqualTo(303);
        String location = Browser.location(response);
        assertThat(location).startsWith(TestBank.REDIRECT_URI + "?");
        Map<String, String> answer = Browser.parameters(location.substring(location.indexOf('?') + 1));
        assertThat(answer).containsEntry("error", error).doesNotContainKey("code");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        return answer;
    }

    /** The user sees the bank's error page naming the problem; nothing goes to an unproven redirect_uri. */
    private void assertRefusedOnPage(URI url, String reason) throws Exception {
        HttpResponse<String> response = browser.get(url);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains("The request cannot be served")
                .contains(AuthorizePages.escape(reason)).doesNotContain("name=\"password\"");
    }
}
