package org.pisbridge.bank;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.pisbridge.oauth.ClientAuthentication;
import org.pisbridge.oauth.Forms;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.PayerGrants;
import org.pisbridge.store.PaymentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews an authorised bundle's access token before its payments are submitted, when it has
 * expired or is about to (a runtime down for longer than the token's life after the SCA): a
 * refresh-token grant with the refresh token of the bundle's own SCA. The bank rotates the refresh
 * token; the new one replaces the bundle's, and the payer's grant when that still held the old one.
 */
public final class AccessRenewal {
    private static final Logger LOG = LoggerFactory.getLogger(AccessRenewal.class);
    /** Renewed this long before expiry, so a token does not expire between the check and the submission. */
    private static final Duration MARGIN = Duration.ofSeconds(60);

    private final PaymentStore store;
    private final PayerGrants grants;
    private final BankCalls calls;
    private final ClientAuthentication authentication;
    private final TokenCipher cipher;
    private final Clock clock;

    public AccessRenewal(PaymentStore store, PayerGrants grants, BankCalls calls, ClientAuthentication authentication,
                         TokenCipher cipher, Clock clock) {
        this.store = store;
        this.grants = grants;
        this.calls = calls;
        this.authentication = authentication;
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * Whether the bundle's payments can be submitted now: its access token valid beyond the
     * margin, or renewed. False when the bank could not be reached (tried again next round) or
     * refused the renewal (the payments then end FAILED: a new SCA is needed).
     */
    public boolean ready(String bundleId) {
        BundleRow bundle = store.bundle(bundleId).orElseThrow();
        Instant now = clock.instant();
        if (bundle.accessExpiresAt() == null || bundle.accessExpiresAt().isAfter(now.plus(MARGIN))) {
            return true;
        }
        Optional<String> stored = store.bundleRefreshToken(bundleId);
        if (stored.isEmpty()) {
            lost(bundleId, "the SCA's access token expired before submission and the bank gave no refresh token");
            return false;
        }
        String used = cipher.decrypt(stored.get());
        Map<String, Object> tokens;
        try {
            tokens = calls.token("access renewal for submission", authentication.form(
                    "grant_type", "refresh_token",
                    "refresh_token", used));
        } catch (BankError e) {
            if (e.isTransient()) {
                LOG.warn("Bundle {}: access not renewed yet, tried again next round: {}", bundleId, e.getMessage());
            } else {
                lost(bundleId, "the SCA's access token expired before submission and could not be renewed: " + e.getMessage());
            }
            return false;
        }
        String rotated = (String) tokens.get("refresh_token");
        String encryptedRotated = rotated == null ? null : cipher.encrypt(rotated);
        store.accessRenewed(bundleId, cipher.encrypt(Forms.required(tokens, "access_token")),
                now.plusSeconds(Forms.seconds(tokens.get("expires_in"), 3600)), encryptedRotated);
        if (encryptedRotated != null) {
            // the bank retired the used token: a grant still holding it would fail at its next use
            grants.of(bundle.payerIban())
                    .filter(g -> cipher.decrypt(g.encryptedRefreshToken()).equals(used))
                    .ifPresent(g -> grants.rotated(bundle.payerIban(), g.encryptedRefreshToken(), encryptedRotated, now));
        }
        LOG.info("Bundle {}: access renewed with the SCA's refresh token before submission", bundleId);
        return true;
    }

    private void lost(String bundleId, String why) {
        String reason = why + "; the payments were not submitted, send them again for a new SCA";
        store.accessLost(bundleId, reason);
        LOG.warn("Bundle {}: {}", bundleId, reason);
    }
}
