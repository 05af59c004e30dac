package org.pisbridge.sandbox.authorize;

import java.time.Instant;
import java.util.List;

/**
 * One user's way through the login and consent pages for one authorization request. Kept on the
 * server, keyed by a random id the browser holds twice: in an HttpOnly cookie and in the page's
 * hidden field, and both must come back with every POST.
 */
final class ConsentSession {
    final String id;
    final AuthorizationRequest request;
    final Instant expiresAt;
    /** Set once the user has logged in; the consent page is served only then. */
    String userId;
    int failedLogins;
    /** The payments the consent page showed: approval covers exactly these, not any added since. */
    List<String> shownPaymentIds = List.of();

    ConsentSession(String id, AuthorizationRequest request, Instant expiresAt) {
        this.id = id;
        this.request = request;
        this.expiresAt = expiresAt;
    }

    boolean loggedIn() {
        return userId != null;
    }
}
