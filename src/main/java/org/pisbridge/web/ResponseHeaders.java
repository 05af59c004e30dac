package org.pisbridge.web;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The HTTP server's header filter, Camel's own but for {@code Cache-Control}, which Camel drops from
 * responses by default: the console's and the SCA pages' {@code no-store} must reach the browser,
 * so that no IBAN or amount stays in a shared browser's cache.
 */
public final class ResponseHeaders extends HttpHeaderFilterStrategy {
    @Override
    protected void initialize() {
        super.initialize();
        getOutFilter().remove("cache-control");
    }
}
