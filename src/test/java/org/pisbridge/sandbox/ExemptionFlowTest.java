package org.pisbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pisbridge.sandbox.TppClient.PAYMENTS;
import static org.pisbridge.sandbox.TppClient.json;
import static org.pisbridge.sandbox.TppClient.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.TokenGrant;

/** OP's exemption flow: refresh → create with the user token → jwt-bearer assertion → submit, and its limits. */
class ExemptionFlowTest {
    /** Accounts of user 88888881. */
    static final String OWN = "FI4950009420028730";
    static final String OWN_OTHER = "FI5850009420172322";
    /** An account of user 88888882. */
    static final String OTHERS = "FI5542345670000081";

    @TempDir
    static Path dataDir;
    static SandboxBank bank;
    TppClient tpp;
    String sca;

    @BeforeAll
    static void start() {
        bank = SandboxBank.start(SandboxSettings.defaults(dataDir));
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @BeforeEach
    void earlierSca() {
        tpp = new TppClient(bank);
        sca = tpp.refreshTokenOfSca("88888881", "authorization-of-the-earlier-sca");
    }

    @Test
    void aSmallPaymentIsAuthorizedWithoutScaAndSubmitted() throws Exception {
        JsonNode refreshed = tpp.refresh(sca);
        JsonNode created = tpp.createPayment(refreshed.get("access_token").asText(), payment(OWN, OTHERS, "5.00"));
        String authorizationId = created.get("authorizationId").asText();
        assertThat(bank.state().authorizations.get(authorizationId).exemption).isTrue();

        HttpResponse<byte[]> granted = tpp.token(assertionForm(assertion(authorizationId)));
        assertThat(granted.statusCode()).as(TppClient.text(granted)).isEqualTo(200);
        assertThat(json(granted).get("token_type").asText()).isEqualTo("bearer");
        assertThat(bank.state().authorizations.get(authorizationId).status).isEqualTo(AuthorizationStatus.Authorized);

        String exemptionToken = json(granted).get("access_token").asText();
        String paymentId = created.get("paymentId").asText();
        HttpResponse<byte[]> submitted = tpp.call("PUT", PAYMENTS + "/" + paymentId + "/submissions/e-1", exemptionToken);
        assertThat(submitted.statusCode()).isEqualTo(201);
        assertThat(bank.bookings(paymentId)).isEqualTo(1);
        TokenGrant counters = bank.state().tokens.get(refreshed.get("refresh_token").asText());
        assertThat(counters.exemptionCount).isEqualTo(1);
        assertThat(counters.exemptionTotal).isEqualByComparingTo("5.00");
    }

    @Test
    void aPaymentOf30EurosOrMoreNeedsSca() throws Exception {
        HttpResponse<byte[]> refused = exemption(payment(OWN, OTHERS, "30.00"));
        assertThat(json(refused).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(refused).get("error_description").asText()).startsWith("exemption limit exceeded: amount 30.00");
    }

    @Test
    void theSixthExemptionPaymentSinceScaNeedsSca() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(exemption(payment(OWN, OTHERS, "1.00")).statusCode()).isEqualTo(200);
        }
        HttpResponse<byte[]> sixth = exemption(payment(OWN, OTHERS, "1.00"));
        assertThat(sixth.statusCode()).isEqualTo(400);
        assertThat(json(sixth).get("error_description").asText()).contains("5 exemption payments since the last SCA");
    }

    @Test
    void theCumulativeAmountSinceScaStaysBelow100Euros() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(exemption(payment(OWN, OTHERS, "24.00")).statusCode()).isEqualTo(200);
        }
        HttpResponse<byte[]> over = exemption(payment(OWN, OTHERS, "4.00"));
        assertThat(json(over).get("error_description").asText()).contains("cumulative amount");
        assertThat(exemption(payment(OWN, OTHERS, "3.99")).statusCode()).isEqualTo(200);
    }

    @Test
    void aTransferBetweenTheUsersOwnAccountsHasNoLimit() throws Exception {
        assertThat(exemption(payment(OWN, OWN_OTHER, "5000.00")).statusCode()).isEqualTo(200);
        assertThat(liveSca().exemptionCount).isZero();
    }

    @Test
    void thePayerMustBeOwnedByTheUserWhoseScaIsReused() throws Exception {
        HttpResponse<byte[]> refused = exemption(payment(OTHERS, OWN, "1.00"));
        assertThat(json(refused).get("error_description").asText()).contains("payer account is not owned");
    }

    @Test
    void concurrentAssertionsNeverExceedTheLimitsTogether() throws Exception {
        liveSca().exemptionCount = 4;
        String userToken = tpp.refresh(sca).get("access_token").asText();
        List<String> authorizations = List.of(
                tpp.createPayment(userToken, payment(OWN, OTHERS, "1.00")).get("authorizationId").asText(),
                tpp.createPayment(userToken, payment(OWN, OTHERS, "1.00")).get("authorizationId").asText(),
                tpp.createPayment(userToken, payment(OWN, OTHERS, "1.00")).get("authorizationId").asText());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<HttpResponse<byte[]>>> calls = authorizations.stream()
                    .<Callable<HttpResponse<byte[]>>>map(id -> () -> tpp.token(assertionForm(assertion(id)))).toList();
            long granted = 0;
            for (Future<HttpResponse<byte[]>> f : pool.invokeAll(calls)) {
                granted += f.get().statusCode() == 200 ? 1 : 0;
            }
            assertThat(granted).isEqualTo(1);
            assertThat(liveSca().exemptionCount).isEqualTo(5);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anExemptionPaymentCannotBeBundled() throws Exception {
        String userToken = tpp.refresh(sca).get("access_token").asText();
        String clientAuthorization = tpp.createPayment(tpp.clientToken(), payment(OWN, OTHERS, "1.00"))
                .get("authorizationId").asText();
        byte[] body = TppClient.bundled(OWN, OTHERS, "1.00", clientAuthorization).getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = tpp.createPayment(tpp.paymentHeaders(userToken, body), body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).contains("cannot be bundled");

        String exemptionAuthorization = tpp.createPayment(userToken, payment(OWN, OTHERS, "1.00")).get("authorizationId").asText();
        byte[] joining = TppClient.bundled(OWN, OTHERS, "1.00", exemptionAuthorization).getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> joined = tpp.createPayment(tpp.paymentHeaders(tpp.clientToken(), joining), joining);
        assertThat(joined.statusCode()).isEqualTo(409);
    }

    @Test
    void aPaymentCreatedWithTheClientTokenNeedsSca() throws Exception {
        String authorizationId = tpp.createPayment(tpp.clientToken(), payment(OWN, OTHERS, "1.00")).get("authorizationId").asText();
        HttpResponse<byte[]> refused = tpp.token(assertionForm(assertion(authorizationId)));
        assertThat(json(refused).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(refused).get("error_description").asText()).contains("needs SCA");
    }

    @Test
    void theAssertionMustAskForAcrCa() throws Exception {
        String authorizationId = tpp.createPayment(tpp.refresh(sca).get("access_token").asText(), payment(OWN, OTHERS, "1.00"))
                .get("authorizationId").asText();
        JWTClaimsSet sca = new JWTClaimsSet.Builder(assertion(authorizationId)).claim("claims", Map.of(
                "id_token", Map.of("acr", Map.of("values", List.of("urn:openbanking:psd2:sca"), "essential", true),
                        "authorizationId", Map.of("value", authorizationId, "essential", true)),
                "userinfo", Map.of("authorizationId", Map.of("value", authorizationId, "essential", true)))).build();
        HttpResponse<byte[]> refused = tpp.token(assertionForm(sca));
        assertThat(json(refused).get("error_description").asText()).contains("acr");
    }

    @Test
    void theAssertionMustBeSignedByTheClient() throws Exception {
        String authorizationId = tpp.createPayment(tpp.refresh(sca).get("access_token").asText(), payment(OWN, OTHERS, "1.00"))
                .get("authorizationId").asText();
        Map<String, String> form = assertionForm(assertion(authorizationId));
        String jwt = form.get("assertion");
        form.put("assertion", jwt.substring(0, jwt.lastIndexOf('.') + 1) + "AAAA" + jwt.substring(jwt.lastIndexOf('.') + 5));
        HttpResponse<byte[]> refused = tpp.token(form);
        assertThat(json(refused).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(bank.state().authorizations.get(authorizationId).status).isEqualTo(AuthorizationStatus.Unauthorized);
    }

    /** Refresh, create with the user token, assert: the token endpoint's answer. */
    private HttpResponse<byte[]> exemption(String body) throws Exception {
        String userToken = tpp.refresh(liveSca().token).get("access_token").asText();
        String authorizationId = tpp.createPayment(userToken, body).get("authorizationId").asText();
        return tpp.token(assertionForm(assertion(authorizationId)));
    }

    /** The refresh token of the SCA after any rotations. */
    private TokenGrant liveSca() {
        TokenGrant grant = bank.state().tokens.get(sca);
        while (grant.replacedBy != null) {
            grant = bank.state().tokens.get(grant.replacedBy);
        }
        return grant;
    }

    /** The exemption request JWT exactly as OP's document shows it. */
    private JWTClaimsSet assertion(String authorizationId) {
        return new JWTClaimsSet.Builder()
                .issuer(tpp.clientId)
                .audience(bank.apiBaseUrl())
                .claim("response_type", "token")
                .claim("client_id", tpp.clientId)
                .claim("scope", "payments")
                .claim("state", "1234")
                .claim("nonce", "ttpp" + System.nanoTime())
                .claim("max_age", 86400)
                .claim("claims", Map.of(
                        "id_token", Map.of(
                                "acr", Map.of("values", List.of("urn:openbanking:psd2:ca"), "essential", true),
                                "authorizationId", Map.of("value", authorizationId, "essential", true)),
                        "userinfo", Map.of("authorizationId", Map.of("value", authorizationId, "essential", true))))
                .build();
    }

    private Map<String, String> assertionForm(JWTClaimsSet claims) {
        return tpp.withSecret("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", tpp.signJwt(claims),
                "response_type", "token", "scope", "payments");
    }
}
