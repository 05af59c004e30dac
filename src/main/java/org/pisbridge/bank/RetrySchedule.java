package org.pisbridge.bank;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** When a step that could not finish is tried again: a growing interval, capped. */
public record RetrySchedule(Duration first, Duration max, Clock clock) {

    /** The time of the next attempt after {@code attempts} earlier ones. */
    public Instant after(int attempts) {
        Duration wait = first.multipliedBy(1L << Math.min(Math.max(attempts, 0), 20));
        return clock.instant().plus(wait.compareTo(max) > 0 ? max : wait);
    }
}
