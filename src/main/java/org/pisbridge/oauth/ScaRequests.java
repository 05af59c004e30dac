package org.pisbridge.oauth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.pisbridge.store.ScaStore;

/**
 * Opens the SCA of a bundle whose payments are created (document step 4): its deadline, and the
 * "SCA required" event with the runtime's own link, stored in the same transaction and published
 * on pis.sca by the outbox route. Each opening of the link is then an attempt of its own.
 */
public final class ScaRequests {
    private final ScaStore store;
    private final String publicUrl;
    private final Duration scaTimeout;
    private final Clock clock;

    public ScaRequests(ScaStore store, String publicUrl, Duration scaTimeout, Clock clock) {
        this.store = store;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.scaTimeout = scaTimeout;
        this.clock = clock;
    }

    /** Returns the "SCA required" event, or null when the bundle does not wait for SCA. */
    public Map<String, Object> open(String bundleId) {
        return store.awaitSca(bundleId, clock.instant().plus(scaTimeout), publicUrl + "/sca/" + bundleId);
    }
}
