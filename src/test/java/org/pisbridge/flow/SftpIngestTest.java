package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ERP batch files over real SFTP (Apache MINA SSHD on loopback, password login, the server's
 * host key checked against a known_hosts file): the file is taken from the server's inbox/, paid,
 * moved to inbox/.done/, and its report written to the server's outbox/.
 */
class SftpIngestTest {

    @Test
    void fileOnTheSftpServerIsPaidAndItsReportWrittenBack(@TempDir Path dir) throws Exception {
        try (SftpServer sftp = new SftpServer(dir)) {
            Path root = sftp.root;
            Map<String, String> s = sftp.settings("*.csv");
            try (FlowHarness h = new FlowHarness(dir, s)) {
                FileIngestTest.drop(root.resolve("inbox"), "ap-2026-11.csv", String.join("\r\n",
                        "orderId;payerIban;payeeIban;payeeName;amount;message;reference",
                        "AP-1;" + FileIngestTest.PAYER_1 + ";FI9112345600000786;Äijälä Consulting Oy;1250.00;Invoice 118;",
                        "AP-2;" + FileIngestTest.PAYER_1 + ";FI2940000000000011;Kauppa Oy;89.90;;RF18539007547034",
                        "AP-3;" + FileIngestTest.PAYER_1 + ";not-an-iban;Kauppa Oy;1.00;;"), StandardCharsets.UTF_8);

                List<Map<String, Object>> sca = FileIngestTest.approve(h, 1);
                assertThat(sca.get(0)).containsEntry("count", 2).containsEntry("totalEUR", "1339.90");

                Map<String, CSVRecord> rows = FileIngestTest.finalReport(root.resolve("outbox/ap-2026-11.csv.status.csv"), ';', 3);
                assertThat(rows.get("2").get("state")).isEqualTo("COMPLETED");
                assertThat(rows.get("3").get("state")).isEqualTo("COMPLETED");
                assertThat(rows.get("2").get("bundleId")).isEqualTo(rows.get("3").get("bundleId"));
                assertThat(h.bank.bookings(rows.get("2").get("paymentId"))).isEqualTo(1);
                assertThat(rows.get("4").get("state")).isEqualTo("REJECTED_INPUT");
                assertThat(rows.get("4").get("reason")).contains("line 4", "payeeIban");
                FileIngestTest.waitFor(root.resolve("inbox/.done/ap-2026-11.csv"));
                assertThat(root.resolve("inbox/ap-2026-11.csv")).doesNotExist();
                try (var left = Files.list(root.resolve("outbox"))) {
                    assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("ap-2026-11.csv.status.csv");
                }
            }
        }
    }
}
