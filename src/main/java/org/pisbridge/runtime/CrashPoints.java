package org.pisbridge.runtime;

import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash tests' fault points ({@code pis.test.crash-at}): at a named point the process halts at
 * once, with no shutdown hook, as {@code kill -9} would, so a test can stop it between two exact
 * steps. With no names set every point is a no-op.
 */
final class CrashPoints {
    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);

    private CrashPoints() {
    }

    static Consumer<String> of(Set<String> haltAt) {
        if (haltAt.isEmpty()) {
            return point -> { };
        }
        LOG.warn("Crash test points set: the process halts at {}", haltAt);
        return point -> {
            if (haltAt.contains(point)) {
                LOG.warn("Crash test point {} reached: halting", point);
                Runtime.getRuntime().halt(137);
            }
        };
    }
}
