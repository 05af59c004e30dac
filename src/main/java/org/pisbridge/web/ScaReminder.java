package org.pisbridge.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pisbridge.store.ConsoleQueries;

/**
 * "Send again": the "SCA required" event of a bundle still waiting for SCA, built anew as the
 * payment engine first published it (same fields, same link), for the approver who lost it.
 */
public final class ScaReminder {
    private final ConsoleQueries queries;
    private final String publicUrl;

    public ScaReminder(ConsoleQueries queries, String publicUrl) {
        this.queries = queries;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    /** The event, or null when the bundle does not wait for SCA (unknown, approved, ended). */
    public Map<String, Object> event(String bundleId) {
        return queries.waitingBundle(bundleId == null ? "" : bundleId.trim()).map(w -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("bundleId", w.bundleId());
            event.put("authorizationId", w.authorizationId());
            event.put("count", w.count());
            event.put("totalEUR", w.total().setScale(2).toPlainString());
            event.put("payerIban", w.payerIban());
            event.put("link", publicUrl + "/sca/" + w.bundleId());
            event.put("deadline", w.deadline().toString());
            return event;
        }).orElse(null);
    }
}
