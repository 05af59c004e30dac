package org.pisbridge.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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

    private volatile Consumer<Object> journal = entity -> { };

    /** Persists the current content of one entity (last write wins on replay). */
    public void save(Object entity) {
        journal.accept(entity);
    }

    /** Attaches the journal {@link #save(Object)} writes to; until then saving keeps nothing. */
    public void journalTo(Consumer<Object> journal) {
        this.journal = journal;
    }
}
