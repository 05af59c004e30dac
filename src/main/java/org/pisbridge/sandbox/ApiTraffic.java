package org.pisbridge.sandbox;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What reached the mTLS API host: requests, and the TCP connections they came over (told apart by
 * the client's address and port). Each new connection costs the client a full TLS handshake, so
 * tests read from it whether a client keeps its connections alive and reuses them.
 */
public final class ApiTraffic {
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();

    public void request(InetSocketAddress client) {
        requests.incrementAndGet();
        connections.add(client);
    }

    public int requests() {
        return requests.get();
    }

    public int connections() {
        return connections.size();
    }
}
