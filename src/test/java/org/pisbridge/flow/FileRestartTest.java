package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.runtime.ChildJvm;
import org.pisbridge.runtime.FreePorts;
import org.pisbridge.sandbox.SandboxBank;
import org.pisbridge.sandbox.SandboxSettings;

/**
 * The runtime killed with SIGKILL in the middle of reading a batch file and started again: the
 * file is taken again and resumed after its last stored line, so every line is in the report
 * once, none lost and none stored twice (a line stored twice would be reported DUPLICATE).
 */
class FileRestartTest {
    private static final int LINES = 6000;

    @Test
    void killedWhileReadingAFileTheNextStartResumesIt(@TempDir Path dir) throws Exception {
        int httpPort = FreePorts.next();
        int brokerPort = FreePorts.next();
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");
        try (SandboxBank bank = SandboxBank.start(SandboxSettings.defaults(dir.resolve("sandbox"))
                .withRedirectUris(List.of("http://localhost:" + httpPort + "/oauth/callback")))) {
            Map<String, String> settings = new HashMap<>(FlowHarness.runtimeSettings(dir, bank, httpPort, brokerPort));
            settings.putAll(FileIngestTest.folders(inbox, outbox));
            settings.put("pis.files.progress-every-lines", "500");
            StringBuilder csv = new StringBuilder("orderId;payerIban;payeeIban;payeeName;amount;message;reference\n");
            for (int i = 1; i <= LINES; i++) {
                csv.append("RS-").append(i).append(';').append(FileIngestTest.PAYER_1).append(";FI9112345600000786;Name ")
                        .append(i).append(";1.00;;\n");
            }
            FileIngestTest.drop(inbox, "big.csv", csv.toString(), StandardCharsets.UTF_8);

            ChildJvm run1 = ChildJvm.start(dir, settings, "run");
            // killed after the first progress line: part of the file stored, not all
            java.util.regex.Pattern progress = java.util.regex.Pattern.compile("File big\\.csv: \\d+ lines read");
            for (int i = 0; i < 1200 && !progress.matcher(run1.output()).find(); i++) {
                Thread.sleep(50);
            }
            run1.kill();
            run1.exitCode(60);
            assertThat(run1.output()).containsPattern(progress).doesNotContain("File big.csv read:");

            try (ChildJvm run2 = ChildJvm.start(dir, settings, "run")) {
                Path report = outbox.resolve("big.csv.status.csv");
                for (int i = 0; i < 600 && !Files.exists(report); i++) {
                    Thread.sleep(200);
                }
                assertThat(report).as("report; output:\n%s", run2.output()).exists();
                assertThat(run2.output()).contains("File big.csv: resuming after line");
                Map<String, CSVRecord> rows = FileIngestTest.read(report, ';');
                assertThat(rows).hasSize(LINES);
                Set<String> lines = rows.keySet();
                assertThat(lines).contains("2", String.valueOf(LINES + 1));
                assertThat(rows.values().stream().map(r -> r.get("orderId")).collect(Collectors.toSet())).hasSize(LINES);
                assertThat(rows.values()).extracting(r -> r.get("state")).doesNotContain("DUPLICATE", "REJECTED_INPUT");
                assertThat(rows.values().stream().map(r -> r.get("bundleId")).distinct()).hasSize(1);
            }
        }
    }
}
