package org.pisbridge.oauth;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.PaymentStore;

/**
 * Opens the SCA of a bundle whose payments are created (document step 4): fresh state and
 * nonce stored with a deadline, and the "SCA required" event with the runtime's own link.
 */
public final class ScaRequests {
    private final PaymentStore store;
    private final String publicUrl;
    private final Duration scaTimeout;
    private final Clock clock;

    public ScaRequests(PaymentStore store, String publicUrl, Duration scaTimeout, Clock clock) {
        this.store = store;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.scaTimeout = scaTimeout;
        this.clock = clock;
    }

    /** Returns the "SCA required" event, or null when the bundle does not wait for SCA. */
    public Map<String, Object> open(String bundleId) {
        boolean waiting = store.awaitSca(bundleId, RequestObjects.randomValue(), RequestObjects.randomValue(),
                clock.instant().plus(scaTimeout));
        if (!waiting) {
            return null;
        }
        BundleRow bundle = store.bundle(bundleId).orElseThrow();
        List<PaymentOrderRow> orders = store.ordersOf(bundleId, OrderState.AWAITING_SCA);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("bundleId", bundleId);
        event.put("authorizationId", bundle.authorizationId());
        event.put("count", orders.size());
        event.put("totalEUR", orders.stream().map(PaymentOrderRow::amountEur).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2).toPlainString());
        event.put("payerIban", bundle.payerIban());
        event.put("link", publicUrl + "/sca/" + bundleId);
        event.put("deadline", bundle.scaDeadline().toString());
        return event;
    }
}
