package org.pisbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark's helper program in a JVM of its own, on this JVM's class path, so that its CPU time is not
 * counted as the runtime's. Its stdin and stdout are the control channel, a JSON line each way (an answer
 * {@code {"error": "..."}} ends with an exception here); its stderr, its log, goes to a file whose last lines
 * are in the exception when the child ends early. At close it is told {@code stop} and its stdin closes.
 */
final class ChildJvm implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOG_TAIL_LINES = 30;

    private final String name;
    private final Process process;
    private final Path log;
    private final Writer commands;
    private final BufferedReader answers;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        this.answers = process.inputReader(StandardCharsets.UTF_8);
    }

    /** Starts {@code mainClass} with the given heap bound and system properties; its log goes to {@code log}. */
    static ChildJvm start(Class<?> mainClass, String maxHeap, List<String> systemProperties, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                // JVM warnings go to stdout otherwise, into the control channel
                "-XX:+DisplayVMOutputToStderr"));
        systemProperties.forEach(p -> command.add("-D" + p));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        return new ChildJvm(mainClass.getSimpleName(), new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
    }

    /** Sends a command: a word, or a value written as JSON. */
    synchronized void send(Object command) throws IOException {
        commands.write((command instanceof String word ? word : JSON.writeValueAsString(command)) + "\n");
        commands.flush();
    }

    /** The child's next answer. */
    <T> T read(Class<T> type) throws IOException {
        String line = answers.readLine();
        if (line == null) {
            throw new IllegalStateException(ended("ended"));
        }
        JsonNode answer = JSON.readTree(line);
        if (answer.has("error")) {
            throw new IllegalStateException(ended("failed: " + answer.get("error").asText()));
        }
        return JSON.treeToValue(answer, type);
    }

    /** Sends a command and reads its answer. */
    synchronized <T> T ask(Object command, Class<T> type) throws IOException {
        send(command);
        return read(type);
    }

    void kill() {
        process.destroyForcibly();
    }

    private String ended(String how) {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            List<String> lines = Files.readAllLines(log);
            return name + " " + how + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")")
                    + "; the end of its log " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return name + " " + how + "; its log: " + log;
        } catch (IOException e) {
            throw new UncheckedIOException(name + " " + how + "; its log " + log + " cannot be read", e);
        }
    }

    /** Asks the child to stop and waits for it; ends it by force when it does not stop in time. */
    @Override
    public void close() throws InterruptedException {
        try {
            send("stop");
            commands.close();
        } catch (IOException e) {
            // the child is already gone: its end of the pipe is closed
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
