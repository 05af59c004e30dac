package org.pisbridge.sandbox.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pisbridge.sandbox.SandboxState;

/**
 * How many times each payment was actually booked (a submission that moved money). Tests read it to
 * prove no payment was ever booked twice, whatever the TPP retried.
 */
public final class Bookings {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** Bookings the ledger already holds (replayed from the journal): one per submitted payment. */
    public static Bookings of(SandboxState state) {
        Bookings bookings = new Bookings();
        state.payments.values().stream().filter(p -> p.submissionId != null).forEach(p -> bookings.record(p.paymentId));
        return bookings;
    }

    void record(String paymentId) {
        counts.computeIfAbsent(paymentId, id -> new AtomicInteger()).incrementAndGet();
    }

    public int count(String paymentId) {
        AtomicInteger count = counts.get(paymentId);
        return count == null ? 0 : count.get();
    }
}
