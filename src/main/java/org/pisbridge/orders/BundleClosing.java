package org.pisbridge.orders;

import java.time.Duration;
import java.util.List;
import org.pisbridge.store.OrderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the bundles that are complete: {@code batchSize} orders arrived, no order of the batch
 * came for the quiet period, or the window of orders without a batch id is over.
 */
public final class BundleClosing {
    private static final Logger LOG = LoggerFactory.getLogger(BundleClosing.class);

    private final OrderStore store;
    private final Duration quietPeriod;
    private final Duration window;

    public BundleClosing(OrderStore store, Duration quietPeriod, Duration window) {
        this.store = store;
        this.quietPeriod = quietPeriod;
        this.window = window;
    }

    public List<String> due() {
        return store.bundlesDueToClose(quietPeriod, window);
    }

    public void close(String bundleId) {
        if (store.close(bundleId)) {
            LOG.info("Bundle {} closed", bundleId);
        }
    }
}
