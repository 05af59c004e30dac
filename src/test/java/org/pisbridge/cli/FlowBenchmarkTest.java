package org.pisbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code pis-bridge bench-flow} runs as a user would run it, small: the sandbox bank and the company side in
 * processes of their own, every order final, and the figures printed (no figure is checked: they are measured,
 * not asserted).
 */
class FlowBenchmarkTest {
    @Test
    void aSmallRoundRunsEndToEndAcrossThreeProcesses() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = FlowBenchmark.run(List.of("20", "--batch", "10", "--random-order-ids"));
        } finally {
            System.setOut(stdout);
        }
        String report = printed.toString(StandardCharsets.UTF_8);
        stdout.print(report);
        assertThat(exit).isZero();
        assertThat(report)
                .contains("random (UUID) order ids")
                .contains("sent 20 orders")
                .contains("first order to last of 2 \"SCA required\" events")
                .contains("approving 2 bundles")
                .contains("end to end:")
                .containsPattern("bank calls: \\d+ over \\d+ new connections")
                .containsPattern("sandbox bank's process \\d+ ms; the company side's \\(ERP client, approvers\\) \\d+ ms");
    }
}
