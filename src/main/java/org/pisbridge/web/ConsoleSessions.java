package org.pisbridge.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.pisbridge.oauth.RequestObjects;

/**
 * Signed-in operators' browser sessions, held in this instance's memory: a random 256-bit id in an
 * HttpOnly, SameSite=Strict cookie (Secure over HTTPS), ended by logging out or by
 * {@code pis.console.session-idle-minutes} without a request. Each session has its own CSRF token,
 * which every form that changes something carries back. A restart signs everyone out.
 */
public final class ConsoleSessions {
    static final String COOKIE = "pis_console";

    /** An operator's session: who, and the token its forms must carry. */
    public record Session(String operator, String csrfToken) {
        boolean carries(String formToken) {
            return formToken != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.US_ASCII),
                    formToken.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private record Entry(Session session, Instant lastSeen) {
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    public ConsoleSessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    /** Starts a session for the operator; returns its id for the cookie. */
    String start(String operator) {
        Instant now = clock.instant();
        sessions.values().removeIf(e -> e.lastSeen().plus(idle).isBefore(now));
        String id = RequestObjects.randomValue();
        sessions.put(id, new Entry(new Session(operator, RequestObjects.randomValue()), now));
        return id;
    }

    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Entry e = sessions.get(id);
        if (e == null || e.lastSeen().plus(idle).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        sessions.put(id, new Entry(e.session(), now));
        return Optional.of(e.session());
    }

    void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }
}
