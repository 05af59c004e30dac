package org.pisbridge.sandbox;

/** Where on the authorize pages an injected error sends the user back to the TPP. */
public enum AuthorizeStep {
    /** at {@code GET /oauth/authorize}, once the request object is valid, instead of the login page */
    AUTHORIZE,
    /** at the user's Approve, instead of approving */
    CONSENT
}
