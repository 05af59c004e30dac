package org.pisbridge.web;

import java.net.URI;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.pisbridge.oauth.RequestObjects;
import org.pisbridge.orders.BundleState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.ScaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /sca/{bundleId}}: binds the browser to the bundle's SCA with an HttpOnly,
 * SameSite cookie and redirects it to the bank with a freshly signed request object.
 */
public final class ScaLink {
    private static final Logger LOG = LoggerFactory.getLogger(ScaLink.class);

    private final ScaStore store;
    private final RequestObjects requestObjects;
    private final boolean secureCookie;

    public ScaLink(ScaStore store, RequestObjects requestObjects, String redirectUri) {
        this.store = store;
        this.requestObjects = requestObjects;
        URI uri = URI.create(redirectUri);
        this.secureCookie = "https".equalsIgnoreCase(uri.getScheme());
    }

    /**
     * {@code GET /sca}: the list of waiting bundles moved to the console, behind its login: payer
     * IBANs and amounts are not for anyone who reaches the port.
     */
    public String list(Exchange exchange) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        m.setHeader("Location", "/console/sca");
        m.setHeader("Cache-Control", "no-store");
        return "";
    }

    public String open(Exchange exchange) {
        String bundleId = exchange.getMessage().getHeader("bundleId", String.class);
        BundleRow bundle = bundleId == null ? null : store.bundle(bundleId).orElse(null);
        if (bundle == null || bundle.state() != BundleState.AWAITING_SCA) {
            LOG.warn("SCA link for bundle {} refused: {}", bundleId, bundle == null ? "unknown bundle" : "bundle is " + bundle.state());
            return Pages.show(exchange, 404, "Nothing to authorise",
                    "This authorisation link is unknown or no longer waiting for approval.");
        }
        String cookie = RequestObjects.randomValue();
        store.bindBrowser(bundleId, BrowserBinding.hash(cookie));
        String location = requestObjects.authorizeUrl(bundle.authorizationId(), bundle.scaState(), bundle.scaNonce());
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        m.setHeader("Location", location);
        m.setHeader("Cache-Control", "no-store");
        m.setHeader("Referrer-Policy", "no-referrer");
        // Path=/ rather than the callback's path: RFC 2965 clients refuse a cookie for a path the
        // setting page is not under
        m.setHeader("Set-Cookie", BrowserBinding.cookieName(bundleId) + "=" + cookie
                + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400" + (secureCookie ? "; Secure" : ""));
        LOG.info("Bundle {} sent to the bank for SCA", bundleId);
        return "";
    }
}
