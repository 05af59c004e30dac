package org.pisbridge.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code pis-bridge <command>} in a separate JVM on the test class path, as an operator
 * would start it, with settings given as system properties and its output in a file.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static ChildJvm start(Path workDir, Map<String, String> settings, String... command) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.pisbridge.cli.PisBridgeCommand");
        cmd.addAll(List.of(command));
        Files.createDirectories(workDir);
        Path output = workDir.resolve("child-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd)
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new ChildJvm(p, output);
    }

    /** Waits for the process to end; a process still running after {@code maxSeconds} is a hang and fails. */
    public int exitCode(int maxSeconds) throws InterruptedException {
        if (!process.waitFor(maxSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("pis-bridge did not exit; output:\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, as a service manager stops the runtime. */
    public void terminate() {
        process.destroy();
    }

    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
