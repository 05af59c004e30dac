package org.pisbridge.sandbox.authorize;

import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The login/consent sessions in progress. They live in memory only: a restarted bank asks the user to start again. */
final class ConsentSessions {
    /** Long enough to read a bundle of payments, short enough that an abandoned session does not linger. */
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ConsentSession> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    ConsentSessions(Clock clock) {
        this.clock = clock;
    }

    ConsentSession open(AuthorizationRequest request) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expiresAt));
        ConsentSession session = new ConsentSession(randomId(), request, now.plus(LIFETIME));
        sessions.put(session.id, session);
        return session;
    }

    /**
     * The live session both the cookie and the form name. Comparing the two in constant time keeps
     * a forged form from probing the cookie's value.
     */
    Optional<ConsentSession> find(Optional<String> cookieId, Optional<String> formId) {
        if (cookieId.isEmpty() || formId.isEmpty() || !MessageDigest.isEqual(
                cookieId.get().getBytes(StandardCharsets.US_ASCII), formId.get().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        ConsentSession session = sessions.get(formId.get());
        if (session == null || !clock.instant().isBefore(session.expiresAt)) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** Ends a session: after a decision or too many failed logins it cannot be used again. */
    boolean close(ConsentSession session) {
        return sessions.remove(session.id, session);
    }

    static String randomId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64URL.encode(bytes).toString();
    }
}
