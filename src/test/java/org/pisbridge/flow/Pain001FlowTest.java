package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.files.Pain001IngestTest;
import org.pisbridge.files.Pain001Samples;
import org.pisbridge.files.Pain001Samples.PmtInf;
import org.pisbridge.files.Pain001Samples.Tx;
import org.w3c.dom.Document;

/**
 * ISO 20022 pain.001 files through the inbox (local folder and real SFTP): each PmtInf approved
 * by one SCA of the simulated user at the sandbox bank and paid, the pain.002 beside the file
 * ending ACSC for each paid transaction and valid against its official schema; refused files
 * to .error/ with their reason; a file dropped twice taken once.
 */
class Pain001FlowTest {
    private static final String PAYER_1 = FileIngestTest.PAYER_1;
    private static final String PAYER_2 = FileIngestTest.PAYER_2;

    /** The inbox of FileIngestTest, taking XML files as well. */
    static Map<String, String> folders(Path inbox, Path outbox) {
        Map<String, String> s = FileIngestTest.folders(inbox, outbox);
        s.put("pis.files.inbox-uri", s.get("pis.files.inbox-uri").replace("antInclude=*.csv", "antInclude=*.csv,*.xml"));
        return s;
    }

    static List<PmtInf> payroll(String p) {
        return List.of(
                new PmtInf(p + "-SAL", "Äijälä Oy", PAYER_1, List.of(
                        Tx.eur(p + "-1", "1250.00", "Äijälä Consulting Oy", "FI9112345600000786").message("Palkka marraskuu"),
                        Tx.eur(p + "-2", "89.90", "Öhman Åsa", "FI2940000000000011").reference("RF18539007547034"))),
                new PmtInf(p + "-FR", "Éléonore Côté SARL", PAYER_2, List.of(
                        Tx.eur(p + "-3", "12.35", "Société Générale Müller &amp; Fils", "FR7630006000011234567890189")
                                .message("Facture n° 2026-118 « été »").reference("1232"))));
    }

    /** The pain.002 once every transaction is final (bounded wait), valid against {@code version}'s schema. */
    static Document finalPain002(Path report, String version, int transactions) throws Exception {
        for (int i = 0; i < 240; i++) {
            if (Files.exists(report)) {
                String xml = Files.readString(report);
                Document d = Pain001IngestTest.valid(xml, version);
                List<String> statuses = Pain001IngestTest.text(d, "TxSts");
                if (statuses.size() == transactions && statuses.stream().allMatch(s -> s.equals("ACSC") || s.equals("RJCT"))) {
                    return d;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no final pain.002 " + report + (Files.exists(report) ? ":\n" + Files.readString(report) : ""));
    }

    @Test
    void pain001Version03And09ArePaidOneScaPerPaymentInformationAndReportedInPain002(@TempDir Path dir) throws Exception {
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");
        try (FlowHarness h = new FlowHarness(dir, folders(inbox, outbox))) {
            String v03 = Pain001Samples.file("03", "MSG-FLOW-03", payroll("F3"));
            FileIngestTest.drop(inbox, "treasury-03.xml", v03, StandardCharsets.UTF_8);
            List<PmtInf> withBad = new java.util.ArrayList<>(payroll("F9"));
            withBad.add(new PmtInf("F9-BAD", "Äijälä Oy", PAYER_1, List.of(
                    Tx.eur("F9-4", "10.00", "Bad checksum", "FI9112345600000787"),
                    Tx.eur("F9-5", "10.00", "Kronor", "FI9112345600000786").currency("SEK"),
                    Tx.eur("F9-1", "10.00", "Same EndToEndId", "FI9112345600000786"),
                    Tx.eur("F9-6", "20.00", "Paid anyway", "FI2840000000000029"))));
            FileIngestTest.drop(inbox, "treasury-09.xml", Pain001Samples.file("09", "MSG-FLOW-09", withBad),
                    StandardCharsets.UTF_8);

            List<Map<String, Object>> sca = FileIngestTest.approve(h, 5);
            assertThat(sca).extracting(e -> e.get("count")).containsExactlyInAnyOrder(2, 1, 2, 1, 1);

            Document r03 = finalPain002(outbox.resolve("treasury-03.xml.pain.002.xml"), "pain.002.001.03", 3);
            assertThat(Pain001IngestTest.text(r03, "TxSts")).containsOnly("ACSC");
            assertThat(Pain001IngestTest.text(r03, "GrpSts")).containsExactly("ACSC");
            assertThat(Pain001IngestTest.text(r03, "OrgnlMsgId")).containsExactly("MSG-FLOW-03");
            assertThat(Pain001IngestTest.text(r03, "OrgnlPmtInfId")).containsExactly("F3-SAL", "F3-FR");

            Document r09 = finalPain002(outbox.resolve("treasury-09.xml.pain.002.xml"), "pain.002.001.10", 7);
            assertThat(Pain001IngestTest.text(r09, "TxSts"))
                    .containsExactly("ACSC", "ACSC", "ACSC", "RJCT", "RJCT", "RJCT", "ACSC");
            assertThat(Pain001IngestTest.text(r09, "Cd")).containsExactly("AC01", "AM03", "AM05");
            assertThat(Pain001IngestTest.text(r09, "GrpSts")).containsExactly("PART");
            assertThat(inbox.resolve(".done/treasury-09.xml")).exists();

            // the same file again, under its name and under another: refused whole, nothing paid twice
            FileIngestTest.drop(inbox, "treasury-03.xml", v03, StandardCharsets.UTF_8);
            FileIngestTest.waitFor(inbox.resolve(".error/treasury-03.xml.reason.txt"));
            assertThat(Files.readString(inbox.resolve(".error/treasury-03.xml.reason.txt"))).contains("ingested before");
            FileIngestTest.drop(inbox, "treasury-03-copy.xml", v03, StandardCharsets.UTF_8);
            FileIngestTest.waitFor(inbox.resolve(".error/treasury-03-copy.xml.reason.txt"));
            assertThat(Files.readString(inbox.resolve(".error/treasury-03-copy.xml.reason.txt")))
                    .contains("MsgId MSG-FLOW-03 was ingested before (file treasury-03.xml)");

            // totals that do not add up: refused whole with the reason, as a bank refuses it
            FileIngestTest.drop(inbox, "wrong-sum.xml", Pain001Samples.file("09", "MSG-FLOW-SUM", payroll("WS"), 3, "1352.24"),
                    StandardCharsets.UTF_8);
            FileIngestTest.waitFor(inbox.resolve(".error/wrong-sum.xml.reason.txt"));
            assertThat(Files.readString(inbox.resolve(".error/wrong-sum.xml.reason.txt")))
                    .contains("GrpHdr/CtrlSum is 1352.24 but the transactions' amounts add up to 1352.25");
            assertThat(h.nextScaEvent(1000)).isNull();
        }
    }

    @Test
    void pain001FromTheSftpServerIsPaidAndItsPain002WrittenBack(@TempDir Path dir) throws Exception {
        try (SftpServer sftp = new SftpServer(dir)) {
            Path root = sftp.root;
            Map<String, String> s = sftp.settings("*.csv,*.xml");
            try (FlowHarness h = new FlowHarness(dir, s)) {
                FileIngestTest.drop(root.resolve("inbox"), "sepa-" + LocalDate.now() + ".xml",
                        Pain001Samples.file("09", "MSG-SFTP-1", payroll("S9")), StandardCharsets.UTF_8);
                assertThat(FileIngestTest.approve(h, 2)).extracting(e -> e.get("count")).containsExactlyInAnyOrder(2, 1);
                Document report = finalPain002(root.resolve("outbox/sepa-" + LocalDate.now() + ".xml.pain.002.xml"),
                        "pain.002.001.10", 3);
                assertThat(Pain001IngestTest.text(report, "TxSts")).containsOnly("ACSC");
                FileIngestTest.waitFor(root.resolve("inbox/.done/sepa-" + LocalDate.now() + ".xml"));
                try (var left = Files.list(root.resolve("outbox"))) {
                    assertThat(left).extracting(p -> p.getFileName().toString())
                            .containsExactly("sepa-" + LocalDate.now() + ".xml.pain.002.xml");
                }
            }
        }
    }
}
