package org.pisbridge.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection, set per test. Each fault applies to requests whose method and path match, for
 * a number of requests, then is gone. ID-token faults spoil the next ID token issued (front channel
 * or token endpoint), once each; an ID-token shape gives both ID tokens of one authorization a valid form
 * OP does not use. Authorize errors send the user back to the TPP with an OAuth error
 * at one {@link AuthorizeStep}, for a number of uses of that step.
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
                        Duration delay, int[] remaining, String message, Instant until) {
        Fault(Kind kind, String method, String pathPrefix, int status, int retryAfterSeconds, Duration delay, int[] remaining) {
            this(kind, method, pathPrefix, status, retryAfterSeconds, delay, remaining, null, null);
        }

        boolean matches(String m, String path) {
            return (method == null || method.equalsIgnoreCase(m)) && path.startsWith(pathPrefix);
        }
    }

    /** The answer an armed authorize error gives the TPP: {@code ?state&error&error_description}. */
    public record AuthorizeError(AuthorizeStep step, String error, String description) {
    }

    private record ArmedAuthorizeError(AuthorizeError error, AtomicInteger remaining) {
    }

    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final RetryAfterWindow retryAfter = new RetryAfterWindow(java.time.Clock.systemUTC());
    private final ConcurrentLinkedQueue<IdTokenFault> idTokenFaults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ArmedAuthorizeError> authorizeErrors = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<IdTokenShape> idTokenShapes = new ConcurrentLinkedQueue<>();
    /** Shapes taken by a front-channel ID token, kept for the token endpoint's ID token of that authorization. */
    private final ConcurrentHashMap<String, IdTokenShape> shapesByAuthorization = new ConcurrentHashMap<>();

    public Faults status(String method, String pathPrefix, int status, int times) {
        return add(new Fault(Kind.STATUS, method, pathPrefix, status, 0, Duration.ZERO, new int[] {times}));
    }

    /** Answers {@code status} with an OP error body whose message is {@code message} (e.g. a very long one). */
    public Faults status(String method, String pathPrefix, int status, String message, int times) {
        return add(new Fault(Kind.STATUS, method, pathPrefix, status, 0, Duration.ZERO, new int[] {times}, message, null));
    }

    /** An outage: every API request (token endpoint included) answered 503 until {@code duration} has passed. */
    public Faults unavailableFor(Duration duration) {
        return unavailableFor("/", duration);
    }

    /** An outage of the API paths under {@code pathPrefix}: answered 503 until {@code duration} has passed. */
    public Faults unavailableFor(String pathPrefix, Duration duration) {
        return add(new Fault(Kind.STATUS, null, pathPrefix, 503, 0, Duration.ZERO, new int[] {Integer.MAX_VALUE}, null,
                Instant.now().plus(duration)));
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

    /**
     * The next authorization's ID tokens take {@code shape}: the front-channel one, if the flow has it,
     * and the token endpoint's one of the same authorization. Spent with the token endpoint's ID token.
     */
    public Faults idTokenShape(IdTokenShape shape) {
        idTokenShapes.add(Objects.requireNonNull(shape));
        return this;
    }

    /** The shape of the front-channel ID token of {@code authorizationId}, kept for its token endpoint's. */
    public Optional<IdTokenShape> idTokenShapeAtAuthorization(String authorizationId) {
        return Optional.ofNullable(shapesByAuthorization.computeIfAbsent(authorizationId, id -> idTokenShapes.poll()));
    }

    /**
     * The shape of the token endpoint's ID token of {@code authorizationId}: the one its front-channel ID
     * token took, else the next armed one (a code-only flow has no front-channel ID token). Spent here.
     */
    public Optional<IdTokenShape> idTokenShapeAtTokenEndpoint(String authorizationId) {
        IdTokenShape kept = shapesByAuthorization.remove(authorizationId);
        return Optional.ofNullable(kept != null ? kept : idTokenShapes.poll());
    }

    /**
     * The next {@code times} uses of {@code step} send the user back to the TPP with {@code error} and
     * {@code description} (e.g. {@code temporarily_unavailable}, as in OP's document §4.4) instead of
     * going on: at {@link AuthorizeStep#AUTHORIZE} the request is not shown, at
     * {@link AuthorizeStep#CONSENT} nothing is approved.
     */
    public Faults authorizeError(AuthorizeStep step, String error, String description, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("an authorize error is armed for at least one use, not " + times);
        }
        authorizeErrors.add(new ArmedAuthorizeError(new AuthorizeError(Objects.requireNonNull(step),
                Objects.requireNonNull(error), Objects.requireNonNull(description)), new AtomicInteger(times)));
        return this;
    }

    /** Takes one use of the first authorize error armed for {@code step}, if any. */
    public Optional<AuthorizeError> takeAuthorizeError(AuthorizeStep step) {
        for (ArmedAuthorizeError armed : authorizeErrors) {
            if (armed.error().step() != step) {
                continue;
            }
            int before = armed.remaining().getAndUpdate(n -> Math.max(n - 1, 0));
            if (before == 1) {
                authorizeErrors.remove(armed);
            }
            if (before > 0) {
                return Optional.of(armed.error());
            }
        }
        return Optional.empty();
    }

    /** How many request faults are still armed (each fault counted once, whatever its remaining uses). */
    public int armed() {
        return faults.size();
    }

    public void clear() {
        retryAfter.close();
        faults.clear();
        idTokenFaults.clear();
        authorizeErrors.clear();
        idTokenShapes.clear();
        shapesByAuthorization.clear();
    }

    /** An injected 429 or 503 told the client to come back after {@code seconds}. */
    public void retryAfterGiven(int seconds) {
        retryAfter.open(seconds);
    }

    /** Whole seconds left of a Retry-After given (rounded up); 0 when none is running. */
    public int retryAfterSecondsLeft() {
        return retryAfter.secondsLeft();
    }

    /** Takes one use of the first fault matching this request, if any. */
    public Optional<Fault> take(String method, String path) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.until() != null && Instant.now().isAfter(f.until())) {
                it.remove();
                continue;
            }
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
