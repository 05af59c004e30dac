package org.pisbridge.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.pisbridge.bank.BankCalls;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.orders.BundleState;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.PayerGrants;
import org.pisbridge.store.PaymentStore;
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

    private final PaymentStore store;
    private final PayerGrants grants;
    private final BankCalls calls;
    private final IdTokenValidator idTokens;
    private final TokenCipher cipher;
    private final BankConnection bank;
    private final ClientAuthentication authentication;
    private final boolean frontChannelIdToken;
    private final Clock clock;

    public ScaCompletion(PaymentStore store, PayerGrants grants, BankCalls calls, IdTokenValidator idTokens,
                         TokenCipher cipher, BankConnection bank, String responseType, Clock clock) {
        this.store = store;
        this.grants = grants;
        this.calls = calls;
        this.idTokens = idTokens;
        this.cipher = cipher;
        this.bank = bank;
        this.authentication = new ClientAuthentication(bank);
        this.frontChannelIdToken = responseType.contains("id_token");
        this.clock = clock;
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
        Map<String, Object> tokens = calls.token("authorization code exchange", authentication.form(
                "grant_type", "authorization_code",
                "code", code,
                "redirect_uri", bank.settings().redirectUri()));
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
            grants.replaceAfterSca(bundle.payerIban(), cipher.encrypt(refreshToken), now.plus(REFRESH_TOKEN_LIFETIME), now);
        }
        long expiresIn = Forms.seconds(tokens.get("expires_in"), 3600);
        store.authorized(bundle.bundleId(), cipher.encrypt(accessToken), now.plusSeconds(expiresIn),
                refreshToken == null ? null : cipher.encrypt(refreshToken));
        LOG.info("Bundle {} authorised by SCA", bundle.bundleId());
        return new Outcome(true, null);
    }

    private Outcome reject(BundleRow bundle, String reason) {
        store.scaEnded(bundle.bundleId(), BundleState.SCA_REJECTED, OrderState.SCA_REJECTED, reason);
        LOG.warn("Bundle {} not authorised: {}", bundle.bundleId(), reason);
        return new Outcome(false, reason);
    }
}
