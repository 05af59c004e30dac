package org.pisbridge.orders;

import java.time.Duration;
import java.util.List;
import org.pisbridge.store.OrderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the bundles that are complete: {@code batchSize} orders arrived; no order of a batch
 * without batchSize came for the quiet period; a declared batch (batchSize given) got no order for
 * its longer maximum wait, however slowly its orders come; or the window of orders without a
 * batch id is over.
 */
public final class BundleClosing {
    private static final Logger LOG = LoggerFactory.getLogger(BundleClosing.class);

    private final OrderStore store;
    private final Duration quietPeriod;
    private final Duration declaredMaxWait;
    private final Duration window;

    public BundleClosing(OrderStore store, Duration quietPeriod, Duration declaredMaxWait, Duration window) {
        this.store = store;
        this.quietPeriod = quietPeriod;
        this.declaredMaxWait = declaredMaxWait;
        this.window = window;
    }

    public List<String> due() {
        return store.bundlesDueToClose(quietPeriod, declaredMaxWait, window);
    }

    /** Closes the bundle; true when this call closed it. */
    public boolean close(String bundleId) {
        if (store.close(bundleId)) {
            LOG.info("Bundle {} closed", bundleId);
            return true;
        }
        return false;
    }
}
