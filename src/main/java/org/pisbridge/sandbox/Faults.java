package org.pisbridge.sandbox;

import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Fault injection, set per test. Each fault applies to requests whose method and path match, for
 * a number of requests, then is gone. ID-token faults spoil the next ID token issued (front channel
 * or token endpoint), once each.
 */
public final class Faults {

    public enum Kind {
        /** answer with {@code status} (and Retry-After when {@code retryAfterSeconds} > 0) and an OP error body */
        STATUS,
        /** wait {@code delay}, then answer normally */
        DELAY,
        /** close the connection without any response */
        DROP_CONNECTION,
        /** process normally but after the work is done drop the connection: the client never sees the answer */
        DROP_AFTER_PROCESSING,
        /** answer normally with an x-jws-signature that does not verify */
        BAD_RESPONSE_SIGNATURE,
        /** answer normally without x-jws-signature */
        MISSING_RESPONSE_SIGNATURE
    }

    /** One armed fault. {@code method} null matches any method; {@code pathPrefix} matches the request path. */
    public record Fault(Kind kind, String method, String pathPrefix, int status, int retryAfterSeconds,
                        Duration delay, int[] remaining) {
        boolean matches(String m, String path) {
            return (method == null || method.equalsIgnoreCase(m)) && path.startsWith(pathPrefix);
        }
    }

    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<IdTokenFault> idTokenFaults = new ConcurrentLinkedQueue<>();

    public Faults status(String method, String pathPrefix, int status, int times) {
        return add(new Fault(Kind.STATUS, method, pathPrefix, status, 0, Duration.ZERO, new int[] {times}));
    }

    public Faults tooManyRequests(String method, String pathPrefix, int retryAfterSeconds, int times) {
        return add(new Fault(Kind.STATUS, method, pathPrefix, 429, retryAfterSeconds, Duration.ZERO, new int[] {times}));
    }

    public Faults delay(String method, String pathPrefix, Duration delay, int times) {
        return add(new Fault(Kind.DELAY, method, pathPrefix, 0, 0, delay, new int[] {times}));
    }

    public Faults of(Kind kind, String method, String pathPrefix, int times) {
        return add(new Fault(kind, method, pathPrefix, 0, 0, Duration.ZERO, new int[] {times}));
    }

    public Faults idToken(IdTokenFault fault) {
        idTokenFaults.add(fault);
        return this;
    }

    public void clear() {
        faults.clear();
        idTokenFaults.clear();
    }

    /** Takes one use of the first fault matching this request, if any. */
    public Optional<Fault> take(String method, String path) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.matches(method, path)) {
                synchronized (f.remaining()) {
                    if (f.remaining()[0] > 0) {
                        if (--f.remaining()[0] == 0) {
                            it.remove();
                        }
                        return Optional.of(f);
                    }
                }
            }
        }
        return Optional.empty();
    }

    public Optional<IdTokenFault> takeIdTokenFault() {
        return Optional.ofNullable(idTokenFaults.poll());
    }

    /**
     * Takes the first armed ID-token fault that the token being issued can carry, leaving the others
     * armed: an at_hash fault must survive the front-channel ID token and spoil the token endpoint's.
     */
    public Optional<IdTokenFault> takeIdTokenFault(Set<IdTokenFault> applicable) {
        for (IdTokenFault f : idTokenFaults) {
            if (applicable.contains(f) && idTokenFaults.remove(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private Faults add(Fault f) {
        faults.add(f);
        return this;
    }
}
