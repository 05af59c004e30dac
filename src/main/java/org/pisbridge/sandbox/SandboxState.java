package org.pisbridge.sandbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Guarded by itself, as is {@link #spentNonces}: a nonce is spent and its request listed in one step. */
    private final List<AuthorizeRequestSeen> authorizeRequests = new ArrayList<>();
    /** clientId + "|" + nonce of every accepted authorize request. */
    private final Set<String> spentNonces = new HashSet<>();

    private volatile Consumer<Object> journal = entity -> { };

    /**
     * Lists an accepted authorize request and spends its nonce, unless the client spent that nonce
     * before: then nothing is recorded and the answer is false.
     */
    public boolean acceptAuthorizeRequest(AuthorizeRequestSeen request) {
        synchronized (authorizeRequests) {
            if (!spentNonces.add(request.clientId() + "|" + request.nonce())) {
                return false;
            }
            authorizeRequests.add(request);
            // under the lock, so the journal replays the requests in the order they are listed
            save(request);
            return true;
        }
    }

    /** The authorize requests accepted so far, oldest first. */
    public List<AuthorizeRequestSeen> authorizeRequests() {
        synchronized (authorizeRequests) {
            return List.copyOf(authorizeRequests);
        }
    }

    /** Persists the current content of one entity (last write wins on replay). */
    public void save(Object entity) {
        journal.accept(entity);
    }

    /** Attaches the journal {@link #save(Object)} writes to; until then saving keeps nothing. */
    public void journalTo(Consumer<Object> journal) {
        this.journal = journal;
    }
}
