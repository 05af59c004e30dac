package org.pisbridge.runtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports that were free a moment ago, for servers a test starts. Each is handed out once
 * per JVM and lies below the ports the system gives to servers binding port 0 and to client
 * sockets (32768 and up on Linux, 49152 and up elsewhere): asking the system for a free port twice
 * could give the same one twice (a CI run's HTTP port was its broker's, and a request to it never
 * got an answer), and a sandbox bank started on port 0 could take one handed out before it.
 */
public final class FreePorts {
    private static final int LOWEST = 20_000;
    private static final int ABOVE_HIGHEST = 32_768;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ABOVE_HIGHEST);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // in use by something else: another one
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + ABOVE_HIGHEST + " after 1,000 tries");
    }
}
