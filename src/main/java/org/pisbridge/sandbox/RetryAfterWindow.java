package org.pisbridge.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The time a client was told to stay away: after a 429 or 503 with {@code Retry-After}, the API
 * host refuses every call that comes before it is over (a strict bank's rate limiter does the
 * same), and counts them: a client that honours Retry-After sends at most what it had in flight.
 * Only an injected fault opens one, so clearing the faults ends it.
 */
final class RetryAfterWindow {
    private final Clock clock;
    private final AtomicReference<Instant> until = new AtomicReference<>(Instant.MIN);

    RetryAfterWindow(Clock clock) {
        this.clock = clock;
    }

    void close() {
        until.set(Instant.MIN);
    }

    void open(int seconds) {
        Instant end = clock.instant().plusSeconds(seconds);
        until.accumulateAndGet(end, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Whole seconds left of the window (rounded up); 0 when it is over. */
    int secondsLeft() {
        Duration left = Duration.between(clock.instant(), until.get());
        return left.isNegative() || left.isZero() ? 0 : (int) Math.max(1, (left.toMillis() + 999) / 1000);
    }
}
