package org.pisbridge.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pisbridge.sandbox.model.AuthorizationCode;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * The bank's ledger: every client, authorization, payment, code and token it knows.
 * Whoever changes an entity does so while holding the entity's monitor and then calls
 * {@link #save(Object)}, which appends it to the journal so a restarted sandbox keeps its ledger
 * (a restarted runtime must find the payments it created still there).
 */
public class SandboxState {
    public final Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();
    public final Map<String, SandboxAuthorization> authorizations = new ConcurrentHashMap<>();
    public final Map<String, SandboxPayment> payments = new ConcurrentHashMap<>();
    /** clientId + "|" + x-idempotency-key → paymentId. */
    public final Map<String, String> paymentsByIdempotencyKey = new ConcurrentHashMap<>();
    public final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();
    public final Map<String, TokenGrant> tokens = new ConcurrentHashMap<>();

    /** Persists the current content of one entity (last write wins on replay). */
    public void save(Object entity) {
        // journal written by SandboxJournal; no-op until it is attached
    }
}
