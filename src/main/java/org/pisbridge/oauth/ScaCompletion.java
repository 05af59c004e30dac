package org.pisbridge.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.pisbridge.bank.BankCalls;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankError;
import org.pisbridge.orders.BundleState;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.PayerGrants;
import org.pisbridge.store.Reinitiation;
import org.pisbridge.store.ScaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Document steps 4.4 and 5 for a callback that passed the state and browser checks: validate
 * the front-channel ID token (s_hash, c_hash) when the response type carries one, and only then
 * exchange the code; validate the token endpoint's ID token (at_hash, rt_hash); keep the refresh
 * token (encrypted) for the exemption flow and the access token for the submissions.
 */
public final class ScaCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(ScaCompletion.class);
    private static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(45);

    private final ScaStore store;
    private final Reinitiation reinitiation;
    private final PayerGrants grants;
    private final BankCalls calls;
    private final IdTokenValidator idTokens;
    private final TokenCipher cipher;
    private final BankConnection bank;
    private final ClientAuthentication authentication;
    private final boolean frontChannelIdToken;
    private final Clock clock;
    private final Duration exchangeLostAfter;

    public ScaCompletion(ScaStore store, Reinitiation reinitiation, PayerGrants grants, BankCalls calls, IdTokenValidator idTokens,
                         TokenCipher cipher, BankConnection bank, String responseType, Clock clock,
                         Duration exchangeLostAfter) {
        this.store = store;
        this.reinitiation = reinitiation;
        this.grants = grants;
        this.calls = calls;
        this.idTokens = idTokens;
        this.cipher = cipher;
        this.bank = bank;
        this.authentication = new ClientAuthentication(bank);
        this.frontChannelIdToken = responseType.contains("id_token");
        this.clock = clock;
        this.exchangeLostAfter = exchangeLostAfter;
    }

    public record Outcome(boolean authorized, String reason) {
    }

    public Outcome complete(BundleRow bundle, String code, String frontChannelIdToken) {
        if (code == null) {
            return reject(bundle, "the bank's answer has no code");
        }
        if (this.frontChannelIdToken) {
            try {
                idTokens.validate(frontChannelIdToken, bundle.scaNonce(), bundle.authorizationId(),
                        Map.of("s_hash", bundle.scaState(), "c_hash", code));
            } catch (IdTokenValidator.InvalidIdToken e) {
                return reject(bundle, "ID token in the redirect is invalid: " + e.getMessage());
            }
        }
        if (!store.claimCodeExchange(bundle.bundleId())) {
            return new Outcome(false, "This approval is already being completed (or the batch no longer waits for it).");
        }
        Map<String, Object> tokens;
        try {
            tokens = calls.grant("authorization code exchange", authentication.form(
                    "grant_type", "authorization_code",
                    "code", code,
                    "redirect_uri", bank.settings().redirectUri()));
        } catch (BankError e) {
            if (e.outcome() != BankError.Outcome.UNKNOWN) {
                // the bank's word that it did not use the code, or did not take it: another callback may try
                store.releaseCodeExchange(bundle.bundleId());
                throw e;
            }
            // the code may be spent and its tokens lost: it is never sent again. The payments start again for a new SCA.
            String reason = "the answer to the authorization code exchange was lost (" + e.getMessage() + "); a code cannot be"
                    + " used twice, so the payments are created again and a new SCA is asked for";
            String again = reinitiation.awaitingScaOf(bundle.bundleId(), reason);
            LOG.warn("Bundle {}: {}; continued as bundle {}", bundle.bundleId(), reason, again);
            return new Outcome(false, "The bank's answer was lost on the way. The payments are being prepared again and a"
                    + " new authorisation link will be sent; nothing was paid.");
        }
        String accessToken = Forms.required(tokens, "access_token");
        String refreshToken = (String) tokens.get("refresh_token");
        try {
            idTokens.validate((String) tokens.get("id_token"), bundle.scaNonce(), bundle.authorizationId(),
                    refreshToken == null ? Map.of("at_hash", accessToken)
                            : Map.of("at_hash", accessToken, "rt_hash", refreshToken));
        } catch (IdTokenValidator.InvalidIdToken e) {
            return reject(bundle, "ID token from the token endpoint is invalid: " + e.getMessage());
        }
        Instant now = clock.instant();
        if (refreshToken != null) {
            grants.replaceAfterSca(bundle.payerIban(), bundle.authorizationId(), cipher.encrypt(refreshToken),
                    now.plus(REFRESH_TOKEN_LIFETIME), now);
        }
        long expiresIn = Forms.seconds(tokens.get("expires_in"), 3600);
        if (!store.authorized(bundle.bundleId(), cipher.encrypt(accessToken), now.plusSeconds(expiresIn),
                refreshToken == null ? null : cipher.encrypt(refreshToken))) {
            LOG.warn("Bundle {}: SCA completed after the bundle stopped waiting for it", bundle.bundleId());
            return new Outcome(false, "The bundle no longer waited for this approval (it expired or ended meanwhile);"
                    + " its payments will not be made under it.");
        }
        LOG.info("Bundle {} authorised by SCA", bundle.bundleId());
        return new Outcome(true, null);
    }

    /**
     * Bundles whose code exchange began long ago and never completed (the process died during it):
     * the code is spent and its tokens lost, so the payments start again for a new SCA.
     */
    public void recoverLostExchanges() {
        for (String bundleId : store.codeExchangesLost(clock.instant().minus(exchangeLostAfter))) {
            String again = reinitiation.awaitingScaOf(bundleId, "the authorization code exchange of this bundle never"
                    + " completed (the runtime stopped during it); a code cannot be used twice, so the payments are created"
                    + " again and a new SCA is asked for");
            LOG.warn("Bundle {}: code exchange never completed; continued as bundle {} for a new SCA", bundleId, again);
        }
    }

    private Outcome reject(BundleRow bundle, String reason) {
        store.ended(bundle.bundleId(), BundleState.SCA_REJECTED, OrderState.SCA_REJECTED, reason);
        LOG.warn("Bundle {} not authorised: {}", bundle.bundleId(), reason);
        return new Outcome(false, reason);
    }
}
