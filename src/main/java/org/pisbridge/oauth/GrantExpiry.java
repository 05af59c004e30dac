package org.pisbridge.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pisbridge.store.PayerGrants;

/**
 * Payer grants whose refresh token reaches its 45-day end within the warning period: each is
 * reported once (event and log), so a person does a new SCA before the exemption flow stops.
 */
public final class GrantExpiry {
    private final PayerGrants grants;
    private final Duration warnBefore;
    private final Clock clock;

    public GrantExpiry(PayerGrants grants, Duration warnBefore, Clock clock) {
        this.grants = grants;
        this.warnBefore = warnBefore;
        this.clock = clock;
    }

    /** The "grant expiring" events due: payerIban, refreshExpiresAt, scaAt. */
    public List<Map<String, Object>> due() {
        return grants.expiringUnwarned(clock.instant().plus(warnBefore)).stream().map(g -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("event", "GRANT_EXPIRING");
            event.put("payerIban", g.payerIban());
            event.put("refreshExpiresAt", g.refreshExpiresAt().toString());
            event.put("scaAt", g.scaAt().toString());
            return event;
        }).toList();
    }

    public void warned(Map<String, Object> event) {
        grants.warned(event.get("payerIban").toString(), Instant.parse(event.get("scaAt").toString()), clock.instant());
    }
}
