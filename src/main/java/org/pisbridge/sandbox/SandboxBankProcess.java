package org.pisbridge.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The sandbox bank in a process of its own, run by a parent program (the flow benchmark) so that the
 * bank's work is not counted as the parent's. Settings: {@code -Dsandbox.dataDir=DIR}, {@code
 * -Dsandbox.redirectUri=URI} (the provisioned client's), {@code -Dsandbox.latencyMs=L} (every API answer
 * delayed by L ms; 0 by default); both hosts on free ports.
 *
 * <p>Its stdin and stdout are the control channel, one line each way: once the bank is up it prints
 * {@link Ready}; then it reads commands — {@code traffic} (answers {@link Traffic}), {@code reset-peak}
 * (starts a new peak and mean of the API traffic, answers {@link Traffic}), {@code stop}. Nothing is
 * listening on the network for them. When stdin closes the bank stops too, so it never outlives its
 * parent, however that ended. Logs go to stderr.
 */
public final class SandboxBankProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The first line: where the bank is and where the TPP material it provisioned lives. */
    public record Ready(String apiBaseUrl, String authorizeBaseUrl, String tppDir) {
    }

    /** The API host's counters ({@link ApiTraffic}) and this process's CPU time so far. */
    public record Traffic(int requests, int connections, int peakInProgress, double meanInProgress, long cpuNanos) {
    }

    private SandboxBankProcess() {
    }

    public static void main(String[] args) throws IOException {
        // stdout carries the answers only: everything else printed (logs among it) goes to stderr
        PrintStream channel = System.out;
        System.setOut(System.err);
        SandboxBank bank = SandboxBank.start(SandboxSettings.defaults(Path.of(required("sandbox.dataDir")))
                .withRedirectUris(List.of(required("sandbox.redirectUri"))));
        try {
            int latencyMs = Integer.getInteger("sandbox.latencyMs", 0);
            if (latencyMs > 0) {
                bank.faults().delay(null, "/", Duration.ofMillis(latencyMs), Integer.MAX_VALUE);
            }
            answer(channel, new Ready(bank.apiBaseUrl(), bank.authorizeBaseUrl(), bank.tpp().dir().toAbsolutePath().toString()));
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command = commands.readLine(); command != null && !command.equals("stop"); command = commands.readLine()) {
                switch (command) {
                    case "traffic" -> answer(channel, traffic(bank.apiTraffic()));
                    case "reset-peak" -> {
                        bank.apiTraffic().resetPeak();
                        answer(channel, traffic(bank.apiTraffic()));
                    }
                    default -> answer(channel, Map.of("error", "unknown command: " + command));
                }
            }
        } finally {
            bank.close();
        }
    }

    private static Traffic traffic(ApiTraffic api) {
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        return new Traffic(api.requests(), api.connections(), api.peakInProgress(), api.meanInProgress(), cpu);
    }

    private static void answer(PrintStream channel, Object line) throws IOException {
        channel.println(JSON.writeValueAsString(line));
        channel.flush();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("-D" + property + " is required");
        }
        return value;
    }
}
