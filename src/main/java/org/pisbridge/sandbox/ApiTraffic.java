package org.pisbridge.sandbox;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What reached the mTLS API host: requests, the TCP connections they came over (told apart by the
 * client's address and port), the most requests in progress at once, and requests that came while
 * a Retry-After was not over. Each new connection costs
 * the client a full TLS handshake; the peak shows how many calls a client really has in flight.
 */
public final class ApiTraffic {
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger tooEarly = new AtomicInteger();
    private final AtomicLong busyNanos = new AtomicLong();
    private volatile long since = System.nanoTime();
    private final ThreadLocal<Long> started = new ThreadLocal<>();

    /** A request arrived from {@code client}; {@link #answered()} follows when it is done. */
    public void request(InetSocketAddress client) {
        requests.incrementAndGet();
        connections.add(client);
        peak.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        started.set(System.nanoTime());
    }

    /** Called on the thread that took the request. */
    public void answered() {
        inProgress.decrementAndGet();
        Long start = started.get();
        if (start != null) {
            busyNanos.addAndGet(System.nanoTime() - start);
            started.remove();
        }
    }

    /** Starts a new measurement of the peak and the mean. */
    public void resetPeak() {
        peak.set(inProgress.get());
        busyNanos.set(0);
        since = System.nanoTime();
    }

    /** Requests in progress on average since the last {@link #resetPeak()} (or the start). */
    public double meanInProgress() {
        return busyNanos.get() / (double) Math.max(1, System.nanoTime() - since);
    }

    /** A request came while the Retry-After the bank had given was not over (it was refused with 429). */
    public void tooEarly() {
        tooEarly.incrementAndGet();
    }

    /** Requests that came within a Retry-After window, refused. */
    public int requestsTooEarly() {
        return tooEarly.get();
    }

    public int peakInProgress() {
        return peak.get();
    }

    public int requests() {
        return requests.get();
    }

    public int connections() {
        return connections.size();
    }
}
