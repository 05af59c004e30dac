package org.pisbridge.sandbox.authorize;

/**
 * An authorization request the bank will not serve. Until the request's client and redirect_uri are
 * established the user is shown an error page ({@link #redirectUri()} null); after that the TPP is
 * told through its redirect_uri, as OAuth 2.0 §4.1.2.1 requires.
 */
public final class AuthorizationRefused extends Exception {
    private final String redirectUri;
    private final String state;
    private final String error;

    private AuthorizationRefused(String redirectUri, String state, String error, String description) {
        super(description);
        this.redirectUri = redirectUri;
        this.state = state;
        this.error = error;
    }

    /** Shown to the user only: nothing proves yet where the TPP wants its answer. */
    static AuthorizationRefused onPage(String description) {
        return new AuthorizationRefused(null, null, "invalid_request", description);
    }

    /** Sent to the TPP's registered redirect_uri; {@code state} is echoed only when it was valid. */
    static AuthorizationRefused toClient(String redirectUri, String state, String error, String description) {
        return new AuthorizationRefused(redirectUri, state, error, description);
    }

    public String redirectUri() {
        return redirectUri;
    }

    public String state() {
        return state;
    }

    public String error() {
        return error;
    }
}
