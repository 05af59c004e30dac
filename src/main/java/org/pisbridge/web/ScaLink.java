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

    /** {@code GET /sca}: the operator's list of bundles waiting for SCA, each with its link. */
    public String list(Exchange exchange) {
        StringBuilder rows = new StringBuilder();
        for (ScaStore.AwaitingSca b : store.awaitingSca()) {
            rows.append("<tr><td>").append(Pages.escape(b.payerIban())).append("</td><td>").append(b.count())
                    .append("</td><td>").append(b.total().setScale(2).toPlainString()).append("</td><td>")
                    .append(Pages.escape(b.deadline().toString())).append("</td><td><a href=\"/sca/")
                    .append(Pages.escape(b.bundleId())).append("\">Authorise at the bank</a></td></tr>");
        }
        String page = Pages.show(exchange, 200, "Payments waiting for approval", rows.length() == 0
                ? "No bundle is waiting for approval." : "Each bundle is approved by one person with strong customer authentication.");
        return rows.length() == 0 ? page : page.replace("</body>", "<table><tr><th>Payer</th><th>Payments</th><th>EUR</th>"
                + "<th>Deadline</th><th></th></tr>" + rows + "</table></body>");
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
