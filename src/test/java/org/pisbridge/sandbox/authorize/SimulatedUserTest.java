package org.pisbridge.sandbox.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pisbridge.sandbox.AuthorizeRequestSeen;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.SandboxAuthorization;

/** The unattended user walks a TPP's http:// start page, the bank's https:// pages and the TPP's callback. */
class SimulatedUserTest {
    private static TestBank bank;
    private static TestTpp tpp;
    private SandboxAuthorization authorization;

    @BeforeAll
    static void start() throws Exception {
        bank = new TestBank();
        tpp = new TestTpp(bank);
        bank.addRedirectUri(tpp.callbackUri);
    }

    @AfterAll
    static void stop() {
        tpp.close();
        bank.close();
    }

    @BeforeEach
    void newAuthorization() {
        authorization = bank.authorization();
        tpp.callbacks.clear();
    }

    @Test
    void approvesAndLoadsTheQueryCallbackWithTheTppsCookie() {
        SimulatedUser.Outcome outcome = new SimulatedUser(bank.trust, "88888881", "11221122").approve(startUrl("code"));

        assertThat(outcome.callback().toString()).startsWith(tpp.callbackUri + "?state=");
        assertThat(outcome.parameters()).containsOnlyKeys("state", "code");
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.body()).isEqualTo("callback received");
        assertThat(tpp.callbacks).singleElement().satisfies(callback -> {
            assertThat(callback.method()).isEqualTo("GET");
            assertThat(callback.parameters()).isEqualTo(outcome.parameters());
            assertThat(callback.cookie()).startsWith("tpp_session=").doesNotContain("sandbox_authorize_session");
        });
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Authorized);
        assertThat(bank.ctx.state().codes).containsKey(outcome.parameters().get("code"));
    }

    @Test
    void approvesAndPostsTheFragmentThroughTheTppsCallbackPage() throws Exception {
        SimulatedUser.Outcome outcome = new SimulatedUser(bank.trust, "88888881", "11221122")
                .approve(startUrl("code id_token"));

        assertThat(outcome.callback().getRawFragment()).isNotNull();
        assertThat(outcome.parameters()).containsOnlyKeys("state", "code", "id_token");
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.body()).isEqualTo("authorization complete");
        TestTpp.Callback callback = tpp.callbacks.get(0);
        assertThat(tpp.callbacks).hasSize(1);
        assertThat(callback.method()).isEqualTo("POST");
        assertThat(callback.parameters()).isEqualTo(outcome.parameters());
        assertThat(callback.cookie()).startsWith("tpp_session=");
        Map<String, String> answer = callback.parameters();
        String nonce = bank.ctx.state().codes.get(answer.get("code")).nonce;
        IdTokenDefects expected = new IdTokenDefects(bank.baseUrl, TestBank.CLIENT_ID, nonce,
                authorization.authorizationId, Map.of("s_hash", answer.get("state"), "c_hash", answer.get("code")));
        assertThat(expected.of(answer.get("id_token"), bank.ctx.idTokenKeys().jwks())).isEmpty();
    }

    @Test
    void rejects() {
        SimulatedUser.Outcome outcome = new SimulatedUser(bank.trust, "88888882", "11221122")
                .reject(startUrl("code"));

        // 88888882 does not own the payer account: the bank denies before the consent page.
        assertThat(outcome.parameters()).containsEntry("error", "access_denied");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);

        SimulatedUser.Outcome rejected = new SimulatedUser(bank.trust, "88888881", "11221122")
                .reject(startUrl("code id_token"));
        assertThat(rejected.callback().getRawFragment()).isNull();
        assertThat(rejected.parameters()).containsEntry("error", "access_denied").doesNotContainKey("code");
        assertThat(rejected.body()).isEqualTo("callback received");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Rejected);
    }

    @Test
    void startsAtTheBanksAuthorizeUrlAsWell() throws Exception {
        URI authorize = bank.authorizeUrl(authorization.authorizationId, "code",
                c -> c.claim("redirect_uri", tpp.callbackUri));

        SimulatedUser.Outcome outcome = new SimulatedUser(bank.trust, "88888881", "11221122").approve(authorize);

        assertThat(outcome.parameters()).containsKey("code");
        assertThat(outcome.body()).isEqualTo("callback received");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Authorized);
    }

    @Test
    void stopsWhenTheBankRefusesTheLogin() {
        SimulatedUser user = new SimulatedUser(bank.trust, "88888881", "wrong-password");

        assertThatThrownBy(() -> user.approve(startUrl("code")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the login of user 88888881")
                .hasMessageContaining("Wrong user ID or password");
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
        assertThat(tpp.callbacks).isEmpty();
    }

    @Test
    void stopsAtTheBanksErrorPage() throws Exception {
        URI unregistered = bank.authorizeUrl(authorization.authorizationId, "code",
                c -> c.claim("redirect_uri", "https://elsewhere.example/callback"));

        assertThatThrownBy(() -> new SimulatedUser(bank.trust, "88888881", "11221122").approve(unregistered))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no login or consent form on the bank's page (HTTP 400")
                .hasMessageContaining("is not registered for client");
    }

    @Test
    void opensTheBanksLoginPageAndStopsThere() throws Exception {
        URI reached = new SimulatedUser(bank.trust, "88888881", "11221122").open(startUrl("code"));

        assertThat(reached.toString()).startsWith(bank.baseUrl + "/oauth/authorize?request=");
        String request = Browser.parameters(reached.getRawQuery()).get("request");
        JWTClaimsSet claims = SignedJWT.parse(request).getJWTClaimsSet();
        assertThat(claims.getStringClaim("redirect_uri")).isEqualTo(tpp.callbackUri);
        AuthorizeRequestSeen seen = last(bank.ctx.state().authorizeRequests());
        assertThat(seen.authorizationId()).isEqualTo(authorization.authorizationId);
        assertThat(seen.nonce()).isEqualTo(claims.getStringClaim("nonce"));
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
        assertThat(tpp.callbacks).isEmpty();
    }

    @Test
    void openingAnAuthorizeUrlTwiceIsRefusedTheSecondTime() {
        SimulatedUser user = new SimulatedUser(bank.trust, "88888881", "11221122");
        URI reached = user.open(startUrl("code"));

        assertThatThrownBy(() -> user.open(reached))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the bank sent the user back to " + tpp.callbackUri + " instead of showing")
                .hasMessageContaining("error=invalid_request_object: REQOBJ_NONCE_REUSED");
        assertThat(tpp.callbacks).isEmpty();
    }

    @Test
    void loadsAForgedCallbackWithTheCookiesTheTppSet() {
        SimulatedUser user = new SimulatedUser(bank.trust, "88888881", "11221122");
        user.open(startUrl("code"));

        SimulatedUser.Outcome outcome = user.load(URI.create(tpp.callbackUri + "?state=forged&code=forged-code"));

        assertThat(outcome.parameters()).containsExactly(entry("state", "forged"), entry("code", "forged-code"));
        assertThat(outcome.body()).isEqualTo("callback received");
        assertThat(tpp.callbacks).singleElement().satisfies(callback -> {
            assertThat(callback.parameters()).isEqualTo(outcome.parameters());
            assertThat(callback.cookie()).startsWith("tpp_session=");
        });
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Unauthorized);
    }

    @Test
    void stopsAtTheCallbackAndLoadsItAsOftenAsAsked() {
        SimulatedUser user = new SimulatedUser(bank.trust, "88888881", "11221122");
        URI callback = user.approveUntilCallback(startUrl("code"));

        assertThat(callback.toString()).startsWith(tpp.callbackUri + "?state=");
        assertThat(tpp.callbacks).isEmpty();
        assertThat(authorization.status).isEqualTo(AuthorizationStatus.Authorized);

        SimulatedUser.Outcome first = user.load(callback);
        SimulatedUser.Outcome second = user.load(callback);
        assertThat(first).isEqualTo(second);
        assertThat(first.parameters()).containsOnlyKeys("state", "code");
        assertThat(tpp.callbacks).hasSize(2).allSatisfy(loaded -> {
            assertThat(loaded.method()).isEqualTo("GET");
            assertThat(loaded.parameters()).isEqualTo(first.parameters());
            assertThat(loaded.cookie()).isEqualTo(tpp.callbacks.get(0).cookie()).startsWith("tpp_session=");
        });
    }

    @Test
    void loadsOneFragmentCallbackFromTwoThreadsAtOnce() throws Exception {
        SimulatedUser user = new SimulatedUser(bank.trust, "88888881", "11221122");
        URI callback = user.approveUntilCallback(startUrl("code id_token"));
        assertThat(callback.getRawFragment()).contains("id_token=");

        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Callable<SimulatedUser.Outcome> load = () -> {
                together.await(10, TimeUnit.SECONDS);
                return user.load(callback);
            };
            List<Future<SimulatedUser.Outcome>> outcomes = threads.invokeAll(List.of(load, load), 30, TimeUnit.SECONDS);
            for (Future<SimulatedUser.Outcome> outcome : outcomes) {
                assertThat(outcome.get().status()).isEqualTo(200);
                assertThat(outcome.get().body()).isEqualTo("authorization complete");
            }
        } finally {
            threads.shutdownNow();
        }
        Map<String, String> fragment = new SimulatedUser.Outcome(callback, 0, "").parameters();
        assertThat(tpp.callbacks).hasSize(2).allSatisfy(loaded -> {
            assertThat(loaded.method()).isEqualTo("POST");
            assertThat(loaded.parameters()).isEqualTo(fragment);
            assertThat(loaded.cookie()).startsWith("tpp_session=");
        });
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private URI startUrl(String responseType) {
        return URI.create(tpp.baseUrl + "/start?authorizationId=" + authorization.authorizationId
                + "&responseType=" + TestBank.encode(responseType));
    }
}
