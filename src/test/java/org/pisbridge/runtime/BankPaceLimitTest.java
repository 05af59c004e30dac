package org.pisbridge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * {@link BankPace} on its own: a place per call in flight up to the limit, the limit halved by a
 * 429 and grown back by one per that many answers, and no call let in before a Retry-After is over
 * (a token endpoint's call neither, though it takes no place).
 */
class BankPaceLimitTest {
    private final DefaultCamelContext camel = new DefaultCamelContext();

    private Exchange call() {
        return new DefaultExchange(camel);
    }

    @Test
    void aFullLimitHoldsTheNextCallUntilAPlaceIsGivenBack() throws Exception {
        BankPace pace = new BankPace(2, Clock.systemUTC());
        Exchange first = call();
        pace.enter(first);
        pace.enter(call());
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                pace.enter(call());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(third).isNotDone();
        pace.leave(first);
        third.get(30, TimeUnit.SECONDS);
    }

    @Test
    void a429HalvesTheLimitAndAnswersGrowItBack() throws Exception {
        BankPace pace = new BankPace(8, Clock.systemUTC());
        pace.told(429, 0);
        assertThat(pace.limit()).isEqualTo(4);
        pace.told(429, 0);
        assertThat(pace.limit()).isEqualTo(2);
        // two answers grow it to 3, three more to 4
        for (int i = 0; i < 5; i++) {
            Exchange e = call();
            pace.enter(e);
            pace.leave(e);
        }
        assertThat(pace.limit()).isEqualTo(4);
        // a 503 says wait, not that the bank is overloaded by us
        pace.told(503, 0);
        assertThat(pace.limit()).isEqualTo(4);
    }

    @Test
    void noCallStartsBeforeARetryAfterIsOver() throws Exception {
        BankPace pace = new BankPace(4, Clock.systemUTC());
        Instant told = Instant.now();
        pace.told(503, 1);
        pace.enter(call());
        assertThat(Duration.between(told, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(990));
    }

    @Test
    void aTokenCallWaitsForARetryAfterButTakesNoPlace() throws Exception {
        BankPace pace = new BankPace(1, Clock.systemUTC());
        // the only place held, as by a call renewing its client token after a 401
        pace.enter(call());
        Instant told = Instant.now();
        pace.told(503, 1);
        pace.awaitQuiet();
        assertThat(Duration.between(told, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        // no Retry-After running: it goes at once, the place still held
        CompletableFuture.runAsync(() -> {
            try {
                pace.awaitQuiet();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(30, TimeUnit.SECONDS);
    }

    /**
     * A place given back wakes one waiter, not all: none may be left asleep while a place is free — here with
     * many waiters, two places, and a Retry-After arriving while places are given back.
     */
    @Test
    void everyWaitingCallGetsAPlaceAndNeverMoreThanTheLimitAreIn() throws Exception {
        BankPace pace = new BankPace(2, Clock.systemUTC());
        Exchange held1 = call();
        Exchange held2 = call();
        pace.enter(held1);
        pace.enter(held2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(20);
        for (int i = 0; i < 20; i++) {
            waiting.add(CompletableFuture.runAsync(() -> {
                try {
                    Exchange e = call();
                    pace.enter(e);
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.sleep(5);
                    inside.decrementAndGet();
                    pace.leave(e);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, callers));
        }
        pace.leave(held1);
        pace.told(503, 1);
        pace.leave(held2);
        try {
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
        assertThat(mostInside.get()).isBetween(1, 2);
    }
}
