package org.pisbridge.web;

import java.net.URI;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.pisbridge.oauth.RequestObjects;
import java.time.Duration;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.ScaAttempt;
import org.pisbridge.store.ScaAttempts;
import org.pisbridge.store.ScaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /sca/{bundleId}}: each opening is a new attempt at the bundle's SCA, with its own
 * state and nonce in a freshly signed request object, bound to the opening browser by an
 * HttpOnly, SameSite cookie. An earlier attempt (another device, an abandoned tab) stays valid in
 * its own browser until it ends or expires.
 */
public final class ScaLink {
    private static final Logger LOG = LoggerFactory.getLogger(ScaLink.class);

    private final ScaStore store;
    private final ScaAttempts attempts;
    private final RequestObjects requestObjects;
    private final Duration attemptTimeout;
    private final boolean secureCookie;

    public ScaLink(ScaStore store, ScaAttempts attempts, RequestObjects requestObjects, String redirectUri,
                   Duration attemptTimeout) {
        this.store = store;
        this.attempts = attempts;
        this.requestObjects = requestObjects;
        this.attemptTimeout = attemptTimeout;
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
        String cookie = RequestObjects.randomValue();
        ScaAttempt attempt = bundle == null ? null : attempts.open(bundleId, RequestObjects.randomValue(),
                RequestObjects.randomValue(), BrowserBinding.hash(cookie), attemptTimeout).orElse(null);
        if (attempt == null) {
            LOG.warn("SCA link for bundle {} refused: {}", bundleId, bundle == null ? "unknown bundle"
                    : "bundle is " + (bundle.withdrawAs() != null ? "being withdrawn as " + bundle.withdrawAs() : bundle.state()));
            return Pages.show(exchange, 404, "Nothing to authorise",
                    "This authorisation link is unknown or no longer waiting for approval.");
        }
        String location = requestObjects.authorizeUrl(bundle.authorizationId(), attempt.state(), attempt.nonce());
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        m.setHeader("Location", location);
        m.setHeader("Cache-Control", "no-store");
        m.setHeader("Referrer-Policy", "no-referrer");
        // Path=/ rather than the callback's path: RFC 2965 clients refuse a cookie for a path the
        // setting page is not under
        // one cookie per attempt: two tabs or two openings in one browser do not undo each other
        m.setHeader("Set-Cookie", BrowserBinding.cookieName(attempt.state()) + "=" + cookie
                + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + Math.max(1, attemptTimeout.toSeconds())
                + (secureCookie ? "; Secure" : ""));
        LOG.info("Bundle {} sent to the bank for SCA (a new attempt, open until {})", bundleId, attempt.expiresAt());
        return "";
    }
}
