package org.pisbridge.sandbox;

import java.time.Instant;

/**
 * A request object the bank accepted at {@code GET /oauth/authorize}: what a test asks to prove which
 * authorize requests a TPP made, and the record of the nonces each client has spent.
 */
public record AuthorizeRequestSeen(String clientId, String authorizationId, String state, String nonce, Instant at) {
}
