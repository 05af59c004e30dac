package org.pisbridge.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.pisbridge.bank.BankCalls;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankError;
import org.pisbridge.orders.BundleState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.PayerGrants;
import org.pisbridge.store.ScaAttempt;
import org.pisbridge.store.ScaAttempts;
import org.pisbridge.store.ScaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Document steps 4.4 and 5 for a callback that passed the state and browser checks: validate
 * the front-channel ID token (s_hash, c_hash) when the response type carries one, and only then
 * claim the bundle for this attempt and exchange the code — once: the answer is stored
 * (encrypted) before anything else is done with it, then the token endpoint's ID token (at_hash,
 * rt_hash) is validated from there; the refresh token is kept (encrypted) for the exemption flow
 * and the access token for the submissions.
 *
 * <p>A code is never sent twice. An exchange without a usable answer (refused, not processed,
 * lost on the wire, or a process that died during it) leaves the bank's view of the authorization
 * to decide: still unapproved, the bundle waits for a new attempt; approved with its tokens lost,
 * it is revoked and its payments start again for a new SCA ({@code AuthorizationCheck}).
 */
public final class ScaCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(ScaCompletion.class);
    private static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(45);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Named points of the exchange where a crash test may halt the process ({@code pis.test.crash-at}). */
    public static final String ANSWER_ARRIVED = "code-exchange-answered";
    public static final String ANSWER_STORED = "code-exchange-stored";

    private final ScaStore store;
    private final ScaAttempts attempts;
    private final PayerGrants grants;
    private final BankCalls calls;
    private final IdTokenValidator idTokens;
    private final TokenCipher cipher;
    private final BankConnection bank;
    private final ClientAuthentication authentication;
    private final boolean frontChannelIdToken;
    private final Clock clock;
    private final Duration exchangeLostAfter;
    private final Consumer<String> crashPoint;

    /**
     * @param exchangeLostAfter how long a claimed exchange may go without an answer before the
     *                          process that claimed it is taken for dead
     * @param crashPoint        called at each named point of the exchange (crash tests halt there)
     */
    public ScaCompletion(ScaStore store, ScaAttempts attempts, PayerGrants grants, BankCalls calls, IdTokenValidator idTokens,
                         TokenCipher cipher, BankConnection bank, String responseType, Clock clock,
                         Duration exchangeLostAfter, Consumer<String> crashPoint) {
        this.store = store;
        this.attempts = attempts;
        this.grants = grants;
        this.calls = calls;
        this.idTokens = idTokens;
        this.cipher = cipher;
        this.bank = bank;
        this.authentication = new ClientAuthentication(bank);
        this.frontChannelIdToken = responseType.contains("id_token");
        this.clock = clock;
        this.exchangeLostAfter = exchangeLostAfter;
        this.crashPoint = crashPoint;
    }

    /** Whether the bundle is authorised; if not, the HTTP status and words for the person's page. */
    public record Outcome(boolean authorized, int status, String reason) {
        static final Outcome AUTHORIZED = new Outcome(true, 200, null);
    }

    public Outcome complete(BundleRow bundle, ScaAttempt attempt, String code, String frontChannelIdToken) {
        if (code == null) {
            attempts.endedByError(attempt, "the bank's answer to an SCA attempt had no code");
            return new Outcome(false, 400, "The bank's answer had no authorisation code. Nothing was approved; open the"
                    + " authorisation link again to try again.");
        }
        if (this.frontChannelIdToken) {
            try {
                idTokens.validate(frontChannelIdToken, attempt.nonce(), bundle.authorizationId(),
                        Map.of("s_hash", attempt.state(), "c_hash", code));
            } catch (IdTokenValidator.InvalidIdToken e) {
                return refuse(bundle, "ID token in the redirect is invalid: " + e.getMessage());
            }
        }
        if (!attempts.claimExchange(attempt)) {
            return new Outcome(false, 409, "This approval is already being completed (or the batch no longer waits for it).");
        }
        String answer;
        try {
            answer = JSON.writeValueAsString(calls.grant("authorization code exchange", authentication.form(
                    "grant_type", "authorization_code",
                    "code", code,
                    "redirect_uri", bank.settings().redirectUri())));
        } catch (BankError e) {
            // the code is never sent again: the bank's view of the authorization decides what follows
            attempts.exchangeFailed(attempt, switch (e.outcome()) {
                case UNKNOWN -> "the authorization code exchange was lost on the way (" + e.getMessage() + ")";
                case REFUSED -> "the bank refused the authorization code exchange (" + e.getMessage() + ")";
                case NOT_PROCESSED -> "the bank did not take the authorization code exchange (" + e.getMessage() + ")";
            });
            throw e;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the token endpoint's answer cannot be written back as JSON", e);
        }
        Instant received = clock.instant();
        crashPoint.accept(ANSWER_ARRIVED);
        attempts.exchangeAnswered(bundle.bundleId(), cipher.encrypt(answer));
        crashPoint.accept(ANSWER_STORED);
        return authorize(bundle, attempt.state(), attempt.nonce(), answer, received);
    }

    /**
     * Claims older than the configured time: an answer stored but never used is used now; a claim
     * without an answer (the process died while waiting for it) is left to the authorization check.
     */
    public void recoverLostExchanges() {
        Instant before = clock.instant().minus(exchangeLostAfter);
        for (ScaAttempts.StoredAnswer stored : attempts.storedAnswers(before)) {
            BundleRow bundle = store.bundle(stored.bundleId()).orElseThrow();
            ScaAttempt attempt = attempts.byState(stored.attemptState()).orElseThrow();
            LOG.warn("Bundle {}: the code exchange's stored answer was never used (the runtime stopped); completing the SCA"
                    + " from it", bundle.bundleId());
            authorize(bundle, attempt.state(), attempt.nonce(), cipher.decrypt(stored.encryptedAnswer()), stored.answeredAt());
        }
        int lost = attempts.exchangesLost(before, "the authorization code exchange never completed (the runtime stopped"
                + " during it)");
        if (lost > 0) {
            LOG.warn("{} bundle(s) with a code exchange that never completed; their authorizations are checked at the bank", lost);
        }
    }

    /** Validates the token endpoint's answer (its ID token first) and authorises the bundle with it. */
    private Outcome authorize(BundleRow bundle, String attemptState, String nonce, String answer, Instant received) {
        Map<String, Object> tokens;
        try {
            tokens = JSON.readValue(answer, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return refuse(bundle, "the token endpoint's answer is not JSON");
        }
        String accessToken = tokens.get("access_token") instanceof String s && !s.isBlank() ? s : null;
        if (accessToken == null) {
            return refuse(bundle, "the token endpoint's answer has no access_token");
        }
        String refreshToken = (String) tokens.get("refresh_token");
        try {
            idTokens.validate((String) tokens.get("id_token"), nonce, bundle.authorizationId(),
                    refreshToken == null ? Map.of("at_hash", accessToken)
                            : Map.of("at_hash", accessToken, "rt_hash", refreshToken), received);
        } catch (IdTokenValidator.InvalidIdToken e) {
            return refuse(bundle, "ID token from the token endpoint is invalid: " + e.getMessage());
        }
        // lifetimes run from when the bank issued the tokens, not from when they were taken from the store
        if (refreshToken != null) {
            grants.replaceAfterSca(bundle.payerIban(), bundle.authorizationId(), cipher.encrypt(refreshToken),
                    received.plus(REFRESH_TOKEN_LIFETIME), clock.instant());
        }
        long expiresIn = Forms.seconds(tokens.get("expires_in"), 3600);
        if (!store.authorized(bundle.bundleId(), attemptState, cipher.encrypt(accessToken), received.plusSeconds(expiresIn),
                refreshToken == null ? null : cipher.encrypt(refreshToken))) {
            LOG.warn("Bundle {}: SCA completed after the bundle stopped waiting for it", bundle.bundleId());
            return new Outcome(false, 409, "The batch no longer waited for this approval (it expired, was cancelled or"
                    + " ended meanwhile); its payments will not be made under it.");
        }
        LOG.info("Bundle {} authorised by SCA", bundle.bundleId());
        return Outcome.AUTHORIZED;
    }

    /**
     * The bank's SCA answer does not validate: it is not acted on, the bundle ends SCA_REJECTED and
     * its authorization is revoked at the bank (nobody can use it). Its orders may be re-submitted.
     */
    private Outcome refuse(BundleRow bundle, String reason) {
        store.withdraw(bundle.bundleId(), BundleState.SCA_REJECTED, reason);
        LOG.warn("Bundle {} not authorised: {}", bundle.bundleId(), reason);
        return new Outcome(false, 400, "The bank's answer could not be accepted: " + reason
                + ". The payments of this batch will not be made.");
    }
}
