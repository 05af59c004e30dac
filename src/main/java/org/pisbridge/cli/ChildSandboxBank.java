package org.pisbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pisbridge.sandbox.SandboxBankProcess;
import org.pisbridge.sandbox.SandboxBankProcess.Ready;
import org.pisbridge.sandbox.SandboxBankProcess.Traffic;

/**
 * The sandbox bank started as a child JVM ({@link SandboxBankProcess}) on this JVM's class path, talked to
 * over the child's stdin and stdout. The child's stderr, its log, goes to {@code sandbox.log} in the
 * directory; its last lines are in the exception when the child ends early.
 */
final class ChildSandboxBank implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOG_TAIL_LINES = 30;

    private final Process process;
    private final Path log;
    private final Writer commands;
    private final BufferedReader answers;
    private final Ready ready;

    private ChildSandboxBank(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        this.answers = process.inputReader(StandardCharsets.UTF_8);
        this.ready = read(Ready.class);
    }

    /** Starts the bank with its data under {@code dir}, the given client redirect URI and API latency; waits until it is up. */
    static ChildSandboxBank start(Path dir, String redirectUri, int latencyMs) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("sandbox.log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // JVM warnings go to stdout otherwise, into the control channel
                "-XX:+DisplayVMOutputToStderr",
                // a line per API request would cost this bank a write per call (a remote bank's log is not on this machine)
                "-Dsandbox.access-log=WARN",
                "-Dsandbox.dataDir=" + dir.resolve("data"),
                "-Dsandbox.redirectUri=" + redirectUri,
                "-Dsandbox.latencyMs=" + latencyMs,
                "-cp", System.getProperty("java.class.path"),
                SandboxBankProcess.class.getName()))
                .redirectError(log.toFile())
                .start();
        try {
            return new ChildSandboxBank(process, log);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
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

    synchronized Traffic traffic() throws IOException {
        return ask("traffic");
    }

    /** Starts a new measurement of the API host's peak and mean requests in progress; the counters as of now. */
    synchronized Traffic resetPeak() throws IOException {
        return ask("reset-peak");
    }

    private Traffic ask(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        return read(Traffic.class);
    }

    private <T> T read(Class<T> type) throws IOException {
        String line = answers.readLine();
        if (line == null) {
            throw new IllegalStateException(ended());
        }
        return JSON.readValue(line, type);
    }

    private String ended() {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            List<String> lines = Files.readAllLines(log);
            return "the sandbox bank process ended" + (process.isAlive() ? "" : " with exit code " + process.exitValue())
                    + "; the end of its log " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the sandbox bank process ended; its log: " + log;
        } catch (IOException e) {
            throw new UncheckedIOException("the sandbox bank process ended; its log " + log + " cannot be read", e);
        }
    }

    /** Asks the bank to stop and waits for it; ends it by force when it does not stop in time. */
    @Override
    public void close() throws InterruptedException {
        try {
            commands.write("stop\n");
            commands.close();
        } catch (IOException e) {
            // the child is already gone: its end of the pipe is closed
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
