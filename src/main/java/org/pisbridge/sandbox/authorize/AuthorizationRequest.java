package org.pisbridge.sandbox.authorize;

/**
 * A request object that passed every check of {@link RequestObjects}: what the login and consent
 * pages act on and what the answer to the TPP is built from.
 */
public record AuthorizationRequest(String clientId, String redirectUri, String responseType, String scope,
                                   String state, String nonce, String authorizationId) {
    static final String CODE = "code";
    static final String CODE_ID_TOKEN = "code id_token";

    /** {@code code id_token}: the answer travels in the fragment and carries an ID token. */
    public boolean wantsIdToken() {
        return CODE_ID_TOKEN.equals(responseType);
    }
}
