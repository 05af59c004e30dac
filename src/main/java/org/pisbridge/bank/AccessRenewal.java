package org.pisbridge.bank;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.pisbridge.oauth.Forms;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.OrderRecords;
import org.pisbridge.store.PayerGrants;
import org.pisbridge.store.SubmissionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's access token an authorised bundle's payments are submitted with, renewed before
 * any submission it would not outlive (a bundle of any size, or a runtime down for longer than the
 * token's life) and after the bank refused it: a refresh-token grant with the refresh token of the
 * bundle's own SCA ({@link RefreshTokenGrant}).
 */
public final class AccessRenewal {
    private static final Logger LOG = LoggerFactory.getLogger(AccessRenewal.class);
    /** Renewed this long before expiry, so a token does not expire between the check and the submission. */
    private static final Duration MARGIN = Duration.ofSeconds(60);

    /** The bundle's access cannot be renewed any more: its payments not yet submitted need a new SCA. */
    public static final class AccessLost extends RuntimeException {
        public AccessLost(String message) {
            super(message);
        }
    }

    private final OrderRecords records;
    private final SubmissionStore store;
    private final RefreshTokenGrant refresh;
    private final TokenCipher cipher;
    private final Clock clock;
    private final ConcurrentHashMap<String, Object> renewing = new ConcurrentHashMap<>();

    public AccessRenewal(OrderRecords records, SubmissionStore store, RefreshTokenGrant refresh, TokenCipher cipher, Clock clock) {
        this.records = records;
        this.store = store;
        this.refresh = refresh;
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * The bundle's access token, valid beyond the margin: renewed first when needed.
     *
     * @throws AccessLost when the bank no longer honours the SCA's refresh token (or gave none)
     * @throws BankError when the bank could not be asked now
     */
    public String accessToken(String bundleId) {
        String current = current(bundleId);
        if (current != null) {
            return current;
        }
        // a bundle's payments are submitted in parallel: one of them renews, the others take its token
        Object lock = renewing.computeIfAbsent(bundleId, id -> new Object());
        try {
            synchronized (lock) {
                current = current(bundleId);
                return current != null ? current : renewed(bundleId);
            }
        } finally {
            renewing.remove(bundleId, lock);
        }
    }

    /** The bundle's stored access token when it outlives the margin, else null. */
    private String current(String bundleId) {
        BundleRow bundle = records.bundle(bundleId).orElseThrow();
        Instant expires = bundle.accessExpiresAt();
        return expires != null && expires.isAfter(clock.instant().plus(MARGIN)) ? cipher.decrypt(bundle.accessToken()) : null;
    }

    private String renewed(String bundleId) {
        BundleRow bundle = records.bundle(bundleId).orElseThrow();
        Instant now = clock.instant();
        Optional<Map<String, Object>> tokens;
        try {
            tokens = refresh.renew("access renewal for submission", bundle.payerIban(), bundleId, null);
        } catch (PayerGrants.RefreshTokenGone e) {
            throw new AccessLost("the SCA's access token expired and the bank no longer honours its refresh token: "
                    + e.getMessage());
        }
        if (tokens.isEmpty()) {
            throw new AccessLost("the SCA's access token expired and the bank gave no refresh token");
        }
        String access = Forms.required(tokens.get(), "access_token");
        store.accessRenewed(bundleId, cipher.encrypt(access), now.plusSeconds(Forms.seconds(tokens.get().get("expires_in"), 3600)));
        LOG.info("Bundle {}: access renewed with the SCA's refresh token", bundleId);
        return access;
    }
}
