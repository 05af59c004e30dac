package org.pisbridge.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.pisbridge.sandbox.SandboxBankProcess;
import org.pisbridge.sandbox.SandboxBankProcess.Ready;
import org.pisbridge.sandbox.SandboxBankProcess.Traffic;

/**
 * The sandbox bank started as a child JVM ({@link SandboxBankProcess}), so that the bank's work is not counted
 * as the runtime's. Its log goes to {@code sandbox.log} in its directory.
 */
final class ChildSandboxBank implements AutoCloseable {
    private final ChildJvm child;
    private final Ready ready;

    private ChildSandboxBank(ChildJvm child) throws IOException {
        this.child = child;
        this.ready = child.read(Ready.class);
    }

    /** Starts the bank with its data under {@code dir}, the given client redirect URI and API latency; waits until it is up. */
    static ChildSandboxBank start(Path dir, String redirectUri, int latencyMs) throws IOException {
        ChildJvm child = ChildJvm.start(SandboxBankProcess.class, "512m", List.of(
                // a line per API request would cost this bank a write per call (a remote bank's log is not on this machine)
                "sandbox.access-log=WARN",
                "sandbox.dataDir=" + dir.resolve("data"),
                "sandbox.redirectUri=" + redirectUri,
                "sandbox.latencyMs=" + latencyMs), dir.resolve("sandbox.log"));
        try {
            return new ChildSandboxBank(child);
        } catch (IOException | RuntimeException e) {
            child.kill();
            throw e;
        }
    }

    String apiBaseUrl() {
        return ready.apiBaseUrl();
    }

    String authorizeBaseUrl() {
        return ready.authorizeBaseUrl();
    }

    Path tppDir() {
        return Path.of(ready.tppDir());
    }

    Traffic traffic() throws IOException {
        return child.ask("traffic", Traffic.class);
    }

    /** Starts a new measurement of the API host's peak and mean requests in progress; the counters as of now. */
    Traffic resetPeak() throws IOException {
        return child.ask("reset-peak", Traffic.class);
    }

    @Override
    public void close() throws InterruptedException {
        child.close();
    }
}
