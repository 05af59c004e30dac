package org.pisbridge.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Binds a port for a moment to tell a taken port before a server tries it: Vert.x and Artemis
 * report a taken port in ways that do not name it to an operator.
 */
final class PortCheck {
    private PortCheck() {
    }

    static void requireFree(String what, String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new PortInUseException(what, host, port);
        }
    }
}
