package org.pisbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pisbridge.sandbox.TppClient.PAYMENTS;
import static org.pisbridge.sandbox.TppClient.json;
import static org.pisbridge.sandbox.TppClient.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.SandboxPayment;

/** The ledger survives a restart of the sandbox: what a restarted runtime created before must still be there. */
class SandboxJournalTest {
    static final String PAYER = "FI4950009420028730";
    static final String PAYEE = "FI5850009420172322";

    @Test
    void aRestartedBankKeepsItsLedgerKeysAndTppMaterial(@TempDir Path dataDir) throws Exception {
        SandboxSettings settings = SandboxSettings.defaults(dataDir);
        String paymentId;
        String submittedId;
        String authorizationId;
        String clientToken;
        String idempotencyKey;
        TppMaterial before;
        String paymentsKid;
        try (SandboxBank bank = SandboxBank.start(settings)) {
            TppClient tpp = new TppClient(bank);
            before = bank.tpp();
            paymentsKid = bank.keys().paymentsSigningKey().getKeyID();
            clientToken = tpp.clientToken();
            JsonNode first = tpp.createPayment(clientToken, payment(PAYER, PAYEE, "3.00"));
            paymentId = first.get("paymentId").asText();
            idempotencyKey = bank.state().payments.get(paymentId).idempotencyKey;
            authorizationId = first.get("authorizationId").asText();
            submittedId = tpp.createPayment(clientToken, TppClient.bundled(PAYER, PAYEE, "4.00", authorizationId))
                    .get("paymentId").asText();
            // the authorize host's part, as it records it
            var authorization = bank.state().authorizations.get(authorizationId);
            synchronized (authorization) {
                authorization.status = AuthorizationStatus.Authorized;
                bank.state().save(authorization);
            }
            String refreshToken = tpp.refreshTokenOfSca("88888881", authorizationId);
            bank.state().save(bank.state().tokens.get(refreshToken));
            String userToken = tpp.refresh(refreshToken).get("access_token").asText();
            assertThat(tpp.call("PUT", PAYMENTS + "/" + submittedId + "/submissions/s-1", userToken).statusCode()).isEqualTo(201);
        }

        try (SandboxBank bank = SandboxBank.start(settings)) {
            TppClient tpp = new TppClient(bank);
            assertThat(bank.tpp()).isEqualTo(before);
            assertThat(bank.keys().paymentsSigningKey().getKeyID()).isEqualTo(paymentsKid);

            HttpResponse<byte[]> read = tpp.call("GET", PAYMENTS + "/" + paymentId, clientToken);
            assertThat(read.statusCode()).as("the old access token is still valid").isEqualTo(200);
            assertThat(json(read).get("amountEUR").asText()).isEqualTo("3.00");
            assertThat(TppClient.responseSignatureVerifies(read, bank.paymentsJwks())).isTrue();

            SandboxPayment submitted = bank.state().payments.get(submittedId);
            assertThat(submitted.submissionId).isEqualTo("s-1");
            assertThat(bank.bookings(submittedId)).isEqualTo(1);
            assertThat(bank.state().authorizations.get(authorizationId).paymentIds).containsExactly(paymentId, submittedId);
            assertThat(bank.state().authorizations.get(authorizationId).status).isEqualTo(AuthorizationStatus.Authorized);
            assertThat(bank.state().paymentsByIdempotencyKey.get(tpp.clientId + "|" + idempotencyKey)).isEqualTo(paymentId);

            assertThat(statusAfterReads(tpp, clientToken, submittedId, 2)).isEqualTo(List.of("Submitted", "Credited"));
        }
    }

    @Test
    void aPaymentJoiningABundleWritesOnlyItselfAndTheBundleHead(@TempDir Path dataDir) throws Exception {
        SandboxSettings settings = SandboxSettings.defaults(dataDir);
        List<String> created = new java.util.ArrayList<>();
        String authorizationId;
        try (SandboxBank bank = SandboxBank.start(settings)) {
            TppClient tpp = new TppClient(bank);
            String token = tpp.clientToken();
            JsonNode first = tpp.createPayment(token, payment(PAYER, PAYEE, "1.00"));
            authorizationId = first.get("authorizationId").asText();
            created.add(first.get("paymentId").asText());
            for (int i = 2; i <= 30; i++) {
                created.add(tpp.createPayment(token, TppClient.bundled(PAYER, PAYEE, i + ".00", authorizationId))
                        .get("paymentId").asText());
            }
        }
        // a line per save, none growing with the bundle (a bundle of 10,000 would otherwise write 50 million ids)
        List<String> authorizationLines = Files.readAllLines(dataDir.resolve(SandboxJournal.FILE)).stream()
                .filter(line -> line.startsWith("{\"type\":\"authorization\"")).toList();
        assertThat(authorizationLines).hasSize(30).noneMatch(line -> line.contains("paymentIds"));

        try (SandboxBank bank = SandboxBank.start(settings)) {
            assertThat(bank.state().authorizations.get(authorizationId).paymentIds).containsExactlyElementsOf(created);
        }
    }

    @Test
    void aRestartedBankKeepsTheAuthorizeRequestsItAcceptedAndTheirNonces(@TempDir Path dataDir) throws Exception {
        SandboxSettings settings = SandboxSettings.defaults(dataDir);
        String authorizationId;
        List<AuthorizeRequestSeen> seen;
        try (SandboxBank bank = SandboxBank.start(settings)) {
            TppClient tpp = new TppClient(bank);
            authorizationId = tpp.createPayment(tpp.clientToken(), payment(PAYER, PAYEE, "5.00"))
                    .get("authorizationId").asText();
            URI authorize = authorizeUrl(bank, tpp, authorizationId);

            assertThat(user(bank).open(authorize)).isEqualTo(authorize);
            seen = bank.authorizeRequests();
            assertThat(seen).singleElement().satisfies(request -> {
                assertThat(request.clientId()).isEqualTo(tpp.clientId);
                assertThat(request.authorizationId()).isEqualTo(authorizationId);
                assertThat(request.state()).isEqualTo("restart-state");
                assertThat(request.nonce()).isEqualTo("restart-nonce");
            });
        }

        try (SandboxBank bank = SandboxBank.start(settings)) {
            assertThat(bank.authorizeRequests()).isEqualTo(seen);
            // the restarted bank listens on other ports: a request object for them, with the nonce spent before
            URI again = authorizeUrl(bank, new TppClient(bank), authorizationId);
            assertThatThrownBy(() -> user(bank).open(again))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("error=invalid_request_object: REQOBJ_NONCE_REUSED");
            assertThat(bank.authorizeRequests()).isEqualTo(seen);
        }
    }

    @Test
    void aNonPersistentBankWritesNoLedger(@TempDir Path dataDir) throws Exception {
        SandboxSettings d = SandboxSettings.defaults(dataDir);
        SandboxSettings settings = new SandboxSettings(d.dataDir(), d.host(), 0, 0, d.financialId(), d.users(),
                d.statusReadsPerStep(), d.rejectAbove(), d.codeTtl(), d.accessTokenTtl(), d.refreshTokenTtl(), false);
        try (SandboxBank bank = SandboxBank.start(settings)) {
            TppClient tpp = new TppClient(bank);
            tpp.createPayment(tpp.clientToken(), payment(PAYER, PAYEE, "1.00"));
        }
        assertThat(Files.exists(dataDir.resolve(SandboxJournal.FILE))).isFalse();
        try (SandboxBank bank = SandboxBank.start(settings)) {
            assertThat(bank.state().payments).isEmpty();
        }
    }

    private static SimulatedUser user(SandboxBank bank) {
        return new SimulatedUser(TppClient.ssl(bank.tpp(), null), "88888881", "11221122");
    }

    /** The provisioned client's authorize URL, its request object with a fixed state and nonce. */
    private static URI authorizeUrl(SandboxBank bank, TppClient tpp, String authorizationId) {
        Map<String, Object> authorization = Map.of("value", authorizationId, "essential", true);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(tpp.clientId)
                .audience(bank.apiBaseUrl())
                .claim("response_type", "code")
                .claim("client_id", tpp.clientId)
                .claim("redirect_uri", SandboxSettings.DEFAULT_REDIRECT_URIS.get(0))
                .claim("scope", "openid payments")
                .claim("state", "restart-state")
                .claim("nonce", "restart-nonce")
                .claim("max_age", 86400)
                .claim("claims", Map.of("userinfo", Map.of("authorizationId", authorization),
                        "id_token", Map.of("authorizationId", authorization,
                                "acr", Map.of("essential", true, "values", List.of("urn:openbanking:psd2:sca")))))
                .build();
        return URI.create(bank.authorizeBaseUrl() + "/oauth/authorize?request=" + tpp.signJwt(claims)
                + "&response_type=code&client_id=" + URLEncoder.encode(tpp.clientId, StandardCharsets.UTF_8)
                + "&scope=openid%20payments");
    }

    private static List<String> statusAfterReads(TppClient tpp, String token, String paymentId, int reads) throws Exception {
        List<String> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < reads; i++) {
            statuses.add(json(tpp.call("GET", PAYMENTS + "/" + paymentId, token)).get("status").asText());
        }
        return statuses;
    }
}
