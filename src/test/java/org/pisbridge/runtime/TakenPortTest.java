package org.pisbridge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port already taken stops start-up with the port named, a non-zero exit, and no hanging JVM. */
class TakenPortTest {

    private static Map<String, String> settings(Path data) {
        Map<String, String> s = new HashMap<>();
        s.put("camel.server.port", String.valueOf(FreePorts.next()));
        s.put("pis.broker.embedded.port", String.valueOf(FreePorts.next()));
        s.put("pis.broker.embedded.data-dir", data.resolve("artemis").toString());
        s.put("pis.db.url", org.pisbridge.store.Database.h2FileUrl(data.resolve("db/pis")));
        s.put("pis.sandbox.enabled", "false");
        return s;
    }

    @Test
    void brokerPortTaken(@TempDir Path data) throws Exception {
        try (ServerSocket taken = occupy()) {
            Map<String, String> s = settings(data);
            s.put("pis.broker.embedded.port", String.valueOf(taken.getLocalPort()));
            try (ChildJvm child = ChildJvm.start(data, s, "run")) {
                assertThat(child.exitCode(120)).isNotZero();
                assertThat(child.output()).contains("Embedded Artemis broker cannot listen on 127.0.0.1:"
                        + taken.getLocalPort() + ": port already in use");
            }
        }
    }

    @Test
    void httpPortTaken(@TempDir Path data) throws Exception {
        try (ServerSocket taken = occupy()) {
            Map<String, String> s = settings(data);
            s.put("camel.server.port", String.valueOf(taken.getLocalPort()));
            try (ChildJvm child = ChildJvm.start(data, s, "run")) {
                assertThat(child.exitCode(120)).isNotZero();
                assertThat(child.output()).contains("HTTP server (camel.server.port) cannot listen on 127.0.0.1:"
                        + taken.getLocalPort() + ": port already in use");
            }
        }
    }

    @Test
    void httpAndBrokerOnOnePort(@TempDir Path data) throws Exception {
        Map<String, String> s = settings(data);
        s.put("pis.broker.embedded.port", s.get("camel.server.port"));
        try (ChildJvm child = ChildJvm.start(data, s, "run")) {
            assertThat(child.exitCode(120)).isNotZero();
            assertThat(child.output()).contains("The HTTP server (camel.server.port) and the embedded broker"
                    + " (pis.broker.embedded.port) are both set to port " + s.get("camel.server.port"));
        }
    }

    @Test
    void sandboxBankPortTaken(@TempDir Path data) throws Exception {
        try (ServerSocket taken = occupy()) {
            Map<String, String> s = settings(data);
            s.put("pis.sandbox.enabled", "true");
            s.put("pis.sandbox.data-dir", data.resolve("sandbox").toString());
            s.put("pis.sandbox.api-port", String.valueOf(taken.getLocalPort()));
            s.put("pis.sandbox.authorize-port", String.valueOf(FreePorts.next()));
            try (ChildJvm child = ChildJvm.start(data, s, "run")) {
                assertThat(child.exitCode(120)).isNotZero();
                assertThat(child.output()).contains("Sandbox bank API host cannot bind localhost:"
                        + taken.getLocalPort() + ": port already in use");
            }
        }
    }

    private static ServerSocket occupy() throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }
}
