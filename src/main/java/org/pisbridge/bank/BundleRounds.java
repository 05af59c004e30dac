package org.pisbridge.bank;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One round of a stage's work per bundle at a time in this process: a stage's timer sweep and a
 * hand-off from the stage before (an approval handing its bundle to submission at once) never work
 * one bundle side by side. A round that finds its bundle taken leaves it to the round under way.
 */
public final class BundleRounds {
    private final Set<String> underWay = ConcurrentHashMap.newKeySet();

    /** Takes the bundle for a round of {@code stage}; false when such a round is already under way. */
    public boolean begin(String stage, String bundleId) {
        return underWay.add(stage + "|" + bundleId);
    }

    public void end(String stage, String bundleId) {
        underWay.remove(stage + "|" + bundleId);
    }
}
