package org.pisbridge.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pace of the calls to the bank's API, shared by every stage. After a 429 or 503 with
 * {@code Retry-After} no call starts until that time is over (the call that got it waits for its
 * redelivery as well). Calls in flight are bounded by a limit that adapts: halved on each 429 (the
 * bank is overloaded by us), grown by one after as many answers without one, up to
 * {@code pis.bank.max-in-flight}. The token endpoint's calls wait for a Retry-After too ({@link
 * #awaitQuiet}) but take no place.
 */
public final class BankPace {
    private static final Logger LOG = LoggerFactory.getLogger(BankPace.class);
    /** Marks an exchange holding one of the places, so a place is given back exactly once. */
    private static final String HOLDS_PLACE = "pisBankPlace";

    private final int maxInFlight;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /*
     * Two conditions, so that a call given back wakes one waiter for its place, not every waiting thread
     * (with a pool of threads per stage, dozens wait while the limit is reached: waking them all for each
     * answer cost a few per cent of the runtime's CPU in lock hand-overs). Calls waiting for a Retry-After
     * wait with its time-out and need no waking.
     */
    private final Condition placeFree = lock.newCondition();
    private final Condition retryAfterChanged = lock.newCondition();
    private int limit;
    private int inFlight;
    private int answeredSinceGrowth;
    private Instant quietUntil = Instant.EPOCH;

    public BankPace(int maxInFlight, Clock clock) {
        this.maxInFlight = Math.max(1, maxInFlight);
        this.limit = this.maxInFlight;
        this.clock = clock;
    }

    /** Waits until no Retry-After is running and a place among the calls in flight is free, then takes it. */
    public void enter(Exchange exchange) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long quietMillis = quietMillis();
                if (quietMillis > 0) {
                    retryAfterChanged.await(quietMillis, TimeUnit.MILLISECONDS);
                } else if (inFlight >= limit) {
                    placeFree.await();
                } else {
                    break;
                }
            }
            inFlight++;
            if (inFlight < limit) {
                // places left (several given back while this one waited out a Retry-After): the next waiter checks
                placeFree.signal();
            }
            exchange.setProperty(HOLDS_PLACE, Boolean.TRUE);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no Retry-After is running, taking no place: for the token endpoint's calls, which
     * the bank's Retry-After holds back as well, but which may be made by a call that already holds a
     * place (a client token renewed after a 401) or while a user's browser waits for the code exchange.
     */
    public void awaitQuiet() throws InterruptedException {
        lock.lock();
        try {
            for (long quietMillis = quietMillis(); quietMillis > 0; quietMillis = quietMillis()) {
                retryAfterChanged.await(quietMillis, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives the place back; an answer that was not a 429 counts toward growing the limit again. */
    public void leave(Exchange exchange) {
        if (exchange.removeProperty(HOLDS_PLACE) == null) {
            return;
        }
        boolean tooMany = status(exchange) == 429;
        lock.lock();
        try {
            inFlight--;
            placeFree.signal();
            if (!tooMany && limit < maxInFlight && ++answeredSinceGrowth >= limit) {
                limit++;
                answeredSinceGrowth = 0;
                placeFree.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The bank said to wait (429 or 503 with Retry-After): no call starts before then; a 429 halves the limit. */
    public void told(int status, long retryAfterSeconds) {
        lock.lock();
        try {
            Instant until = clock.instant().plusSeconds(retryAfterSeconds);
            if (until.isAfter(quietUntil)) {
                quietUntil = until;
            }
            if (status == 429 && limit > 1) {
                limit = Math.max(1, limit / 2);
                answeredSinceGrowth = 0;
                LOG.warn("The bank answered 429: at most {} calls in flight from now on, growing again as it answers", limit);
            }
            placeFree.signalAll();
            retryAfterChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How long the Retry-After the bank gave still runs, in milliseconds; 0 when none is running. */
    public long quietMillisLeft() {
        lock.lock();
        try {
            return Math.max(0, quietMillis());
        } finally {
            lock.unlock();
        }
    }

    /** The limit on calls in flight now. */
    public int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    /** Milliseconds until the Retry-After is over, not positive when none runs; the lock held. */
    private long quietMillis() {
        return quietUntil.toEpochMilli() - clock.millis();
    }

    private static int status(Exchange exchange) {
        return RetryAfter.failure(exchange) instanceof HttpOperationFailedException http ? http.getStatusCode() : 0;
    }
}
