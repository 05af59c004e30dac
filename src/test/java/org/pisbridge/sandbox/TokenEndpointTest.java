package org.pisbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.pisbridge.sandbox.TppClient.json;
import static org.pisbridge.sandbox.TppClient.payment;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.sandbox.authorize.IdTokens;
import org.pisbridge.sandbox.model.AuthorizationCode;
import org.pisbridge.sandbox.model.AuthorizationStatus;

/** POST /oauth/token and /oauth/revoke: client authentication, each grant, rotation and revocation. */
class TokenEndpointTest {
    static final String REDIRECT = SandboxSettings.DEFAULT_REDIRECT_URIS.get(0);

    @TempDir
    static Path dataDir;
    static SandboxBank bank;
    TppClient tpp;

    @BeforeAll
    static void start() {
        bank = SandboxBank.start(SandboxSettings.defaults(dataDir));
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @BeforeEach
    void client() {
        tpp = new TppClient(bank);
    }

    @Test
    void clientCredentialsAnswersAsOpDocumentsIt() throws Exception {
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "client_credentials", "scope", "payments"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = json(response);
        assertThat(body.get("token_type").asText()).isEqualTo("bearer");
        assertThat(body.get("scope").asText()).isEqualTo("payments");
        assertThat(body.get("status").asText()).isEqualTo("approved");
        assertThat(body.get("expires_in").isTextual()).as("expires_in is a string, as OP sends it").isTrue();
        assertThat(body.get("expires_in").asText()).isEqualTo(Long.toString(bank.context().settings().accessTokenTtl().toSeconds() - 1));
        assertThat(body.get("access_token").asText()).isNotBlank();
    }

    @Test
    void aWrongSecretIsInvalidClient() throws Exception {
        tpp.clientSecret = "wrong";
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "client_credentials", "scope", "payments"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void aClientMustUseItsRegisteredAuthenticationMethod() throws Exception {
        String basic = Base64.getEncoder().encodeToString((tpp.clientId + ":" + tpp.clientSecret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = tpp.send(tpp.request("/oauth/token")
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=payments")).build());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error_description").asText()).contains("client_secret_post");
    }

    @Test
    void clientCredentialsNeedsThePaymentsScope() throws Exception {
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "client_credentials", "scope", "accounts"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void anUnknownGrantTypeIsUnsupported() throws Exception {
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "password"));
        assertThat(json(response).get("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void aCodeWithAnotherRedirectUriIsRefused() throws Exception {
        String code = code(Duration.ofMinutes(5));
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "authorization_code", "code", code,
                "redirect_uri", "https://elsewhere.example/callback"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(response).get("error_description").asText()).contains("redirect_uri");
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        String code = code(Duration.ofSeconds(-1));
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT));
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(response).get("error_description").asText()).contains("expired");
    }

    @Test
    void aCodeIsExchangedForUserRefreshAndIdTokens() throws Exception {
        assumeTrue(idTokensAvailable(), "ID tokens come from the sandbox-authorize branch");
        String code = code(Duration.ofMinutes(5));
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("scope").asText()).isEqualTo("openid payments");
        assertThat(body.get("token_type").asText()).isEqualTo("bearer");
        assertThat(body.get("expires_in").isNumber()).as("expires_in is a number here, as OP sends it").isTrue();
        assertThat(body.get("id_token").asText()).isNotBlank();
        assertThat(bank.state().tokens.get(body.get("refresh_token").asText()).scaAt).isNotNull();
    }

    @Test
    void aSecondUseOfACodeFailsAndRevokesWhatTheFirstIssued() throws Exception {
        assumeTrue(idTokensAvailable(), "ID tokens come from the sandbox-authorize branch");
        String code = code(Duration.ofMinutes(5));
        Map<String, String> form = tpp.withSecret("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT);
        JsonNode first = json(tpp.token(form));
        HttpResponse<byte[]> second = tpp.token(form);

        assertThat(json(second).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(bank.state().tokens.get(first.get("access_token").asText()).revoked).isTrue();
        assertThat(bank.state().tokens.get(first.get("refresh_token").asText()).revoked).isTrue();
        HttpResponse<byte[]> refresh = tpp.token(tpp.withSecret("grant_type", "refresh_token",
                "refresh_token", first.get("refresh_token").asText()));
        assertThat(json(refresh).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aRefreshRotatesTheRefreshTokenAndKeepsTheScaCounters() throws Exception {
        String refreshToken = tpp.refreshTokenOfSca("88888881", "auth-of-earlier-sca");
        bank.state().tokens.get(refreshToken).exemptionCount = 2;
        JsonNode refreshed = tpp.refresh(refreshToken);

        assertThat(refreshed.get("expires_in").isNumber()).isTrue();
        assertThat(refreshed.get("scope").asText()).isEqualTo("payments");
        String rotated = refreshed.get("refresh_token").asText();
        assertThat(rotated).isNotEqualTo(refreshToken);
        assertThat(bank.state().tokens.get(rotated).exemptionCount).isEqualTo(2);
        assertThat(bank.state().tokens.get(rotated).scaAt).isEqualTo(bank.state().tokens.get(refreshToken).scaAt);

        HttpResponse<byte[]> reuse = tpp.token(tpp.withSecret("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(json(reuse).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aRefreshCannotWidenTheScope() throws Exception {
        String refreshToken = tpp.refreshTokenOfSca("88888881", "auth-x");
        HttpResponse<byte[]> response = tpp.token(tpp.withSecret("grant_type", "refresh_token", "refresh_token", refreshToken,
                "scope", "payments accounts"));
        assertThat(json(response).get("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void revokingARefreshTokenEndsTheAccessTokensIssuedFromIt() throws Exception {
        JsonNode refreshed = tpp.refresh(tpp.refreshTokenOfSca("88888881", "auth-y"));
        String userToken = refreshed.get("access_token").asText();
        String clientToken = tpp.clientToken();
        String authorizationId = tpp.createPayment(clientToken, payment("FI4950009420028730", "FI5850009420172322", "1.00"))
                .get("authorizationId").asText();
        assertThat(tpp.call("GET", "/payments-psd2/v1/authorizations/" + authorizationId, userToken).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> revoked = tpp.send(tpp.request("/oauth/revoke")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TppClient.form(tpp.withSecret(
                        "token", refreshed.get("refresh_token").asText(), "token_type_hint", "refresh_token")))).build());

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(tpp.call("GET", "/payments-psd2/v1/authorizations/" + authorizationId, userToken).statusCode()).isEqualTo(401);
        assertThat(tpp.call("GET", "/payments-psd2/v1/authorizations/" + authorizationId, clientToken).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> refresh = tpp.token(tpp.withSecret("grant_type", "refresh_token",
                "refresh_token", refreshed.get("refresh_token").asText()));
        assertThat(json(refresh).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void revokingAnUnknownTokenAnswers200() throws Exception {
        HttpResponse<byte[]> response = tpp.send(tpp.request("/oauth/revoke")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TppClient.form(tpp.withSecret("token", "never-issued")))).build());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void revocationNeedsClientAuthentication() throws Exception {
        HttpResponse<byte[]> response = tpp.send(tpp.request("/oauth/revoke")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=x&client_id=" + tpp.clientId + "&client_secret=wrong")).build());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    private String code(Duration ttl) throws Exception {
        String authorizationId = tpp.createPayment(tpp.clientToken(), payment("FI4950009420028730", "FI5850009420172322", "1.00"))
                .get("authorizationId").asText();
        bank.state().authorizations.get(authorizationId).status = AuthorizationStatus.Authorized;
        AuthorizationCode code = new AuthorizationCode();
        code.code = UUID.randomUUID().toString();
        code.clientId = tpp.clientId;
        code.redirectUri = REDIRECT;
        code.authorizationId = authorizationId;
        code.userId = "88888881";
        code.nonce = "n-" + UUID.randomUUID();
        code.scope = "openid payments";
        code.expiresAt = Instant.now().plus(ttl);
        bank.state().codes.put(code.code, code);
        return code.code;
    }

    private static boolean idTokensAvailable() {
        try {
            new IdTokens(bank.context()).forTokenResponse("c", "a", "88888881", "n", "at", "rt");
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
