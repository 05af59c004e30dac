package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.orders.OrderState;
import org.pisbridge.sandbox.SimulatedUser;

/**
 * ERP batch files through a local inbox folder: one bundle per file and payer, approved by the
 * simulated user at the sandbox bank, and a status report that ends with every line final.
 */
class FileIngestTest {
    static final String PAYER_1 = "FI4950009420028730";
    static final String PAYER_2 = "FI5850009420172322";

    /** Settings that make the runtime watch {@code inbox} and write reports to {@code outbox}, polling fast. */
    static Map<String, String> folders(Path inbox, Path outbox) {
        Map<String, String> s = new HashMap<>();
        s.put("pis.files.inbox-uri", "file:" + inbox + "?readLock=changed&readLockCheckInterval=300&readLockMinAge=300"
                + "&delay=200&move=.done/${file:name}&moveFailed=.error/${file:name}&antInclude=*.csv&idempotent=true"
                + "&idempotentEager=false&idempotentRepository=#filesTaken&pollStrategy=#inboxReader&idempotentKey=${file:name}-${file:size}-${file:modified}");
        s.put("pis.files.error-uri", "file:" + inbox.resolve(".error"));
        s.put("pis.files.outbox-uri", "file:" + outbox + "?tempPrefix=.writing-&fileExist=Override");
        s.put("pis.files.report-interval-ms", "200");
        return s;
    }

    /** Drops a file as an ERP does over a network share: written elsewhere, then moved in. */
    static void drop(Path inbox, String name, String content, Charset charset) throws Exception {
        Files.createDirectories(inbox);
        Path tmp = Files.createTempFile(inbox.getParent(), "erp", ".tmp");
        Files.write(tmp, content.getBytes(charset));
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The report's rows once every line is final (bounded wait), by line number. */
    static Map<String, CSVRecord> finalReport(Path report, char delimiter, int lines) throws Exception {
        for (int i = 0; i < 240; i++) {
            if (Files.exists(report)) {
                Map<String, CSVRecord> rows = read(report, delimiter);
                if (rows.size() == lines && rows.values().stream().allMatch(r -> OrderState.valueOf(r.get("state")).isFinal())) {
                    return rows;
                }
            }
            Thread.sleep(500);
        }
        ThreadDump.print("no final report " + report);
        throw new AssertionError("no final report " + report + (Files.exists(report) ? ":\n" + Files.readString(report) : ""));
    }

    static Map<String, CSVRecord> read(Path report, char delimiter) throws Exception {
        Map<String, CSVRecord> rows = new java.util.LinkedHashMap<>();
        for (CSVRecord r : CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(report)))) {
            rows.put(r.get("line"), r);
        }
        return rows;
    }

    /** Approves every "SCA required" event that comes, until {@code bundles} were approved. */
    static List<Map<String, Object>> approve(FlowHarness h, int bundles) throws Exception {
        List<Map<String, Object>> approved = new ArrayList<>();
        SimulatedUser user = h.user();
        for (int i = 0; i < 120 && approved.size() < bundles; i++) {
            Map<String, Object> sca = h.nextScaEvent(500);
            if (sca != null) {
                SimulatedUser.Outcome outcome = user.approve(URI.create(sca.get("link").toString()));
                assertThat(outcome.body()).contains("Payments authorised");
                approved.add(sca);
            }
        }
        assertThat(approved).hasSize(bundles);
        return approved;
    }

    @Test
    void fileFromTheInboxIsPaidInOneBundlePerPayerAndReportedLineByLine(@TempDir Path dir) throws Exception {
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");
        try (FlowHarness h = new FlowHarness(dir, folders(inbox, outbox))) {
            drop(inbox, "payroll-11.csv", String.join("\n",
                    "orderId;payerIban;payeeIban;payeeName;amount;message;reference",
                    "P11-1;" + PAYER_1 + ";FI9112345600000786;Äijälä Consulting Oy;1250.00;Salary 11;",
                    "P11-2;" + PAYER_1 + ";FI2940000000000011;Öhman Åsa;89.90;Salary 11;RF18539007547034",
                    "P11-3;" + PAYER_2 + ";FI2840000000000029;Pekka;12.35;;",
                    "P11-4;" + PAYER_1 + ";FI2840000000000028;Bad Checksum;10.00;;",
                    "P11-2;" + PAYER_1 + ";FI2940000000000011;Öhman Åsa;89.90;again;"), StandardCharsets.UTF_8);

            List<Map<String, Object>> sca = approve(h, 2);
            assertThat(sca).extracting(e -> e.get("payerIban")).containsExactlyInAnyOrder(PAYER_1, PAYER_2);
            assertThat(sca).extracting(e -> e.get("count")).containsExactlyInAnyOrder(2, 1);

            Map<String, CSVRecord> rows = finalReport(outbox.resolve("payroll-11.csv.status.csv"), ';', 5);
            for (String line : List.of("2", "3", "4")) {
                assertThat(rows.get(line).get("state")).as("line %s", line).isEqualTo("COMPLETED");
                assertThat(rows.get(line).get("bankStatus")).isEqualTo("Credited");
                assertThat(h.bank.bookings(rows.get(line).get("paymentId"))).isEqualTo(1);
            }
            assertThat(rows.get("2").get("orderId")).isEqualTo("P11-1");
            assertThat(rows.get("5").get("state")).isEqualTo("REJECTED_INPUT");
            assertThat(rows.get("5").get("reason")).contains("payroll-11.csv line 5", "payeeIban", "checksum");
            assertThat(rows.get("6").get("state")).isEqualTo("DUPLICATE");
            assertThat(rows.get("6").get("orderId")).isEqualTo("P11-2");
            assertThat(inbox.resolve(".done/payroll-11.csv")).exists();
            assertThat(inbox.resolve("payroll-11.csv")).doesNotExist();
        }
    }

    @Test
    void unreadableFileDroppedTwiceAndFileStillBeingWritten(@TempDir Path dir) throws Exception {
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");
        try (FlowHarness h = new FlowHarness(dir, folders(inbox, outbox))) {
            // a header the layout cannot use: the whole file to .error/ with its reason beside it
            drop(inbox, "wrong.csv", "id,payer,payee\nX-1,a,b\n", StandardCharsets.UTF_8);
            Path reason = inbox.resolve(".error/wrong.csv.reason.txt");
            waitFor(inbox.resolve(".error/wrong.csv"));
            waitFor(reason);
            assertThat(Files.readString(reason)).contains("wrong.csv was not ingested", "lacks the column", "orderId");

            // a file written slowly, line by line: taken only once complete, so every line is in it
            Files.createDirectories(inbox);
            Path slow = inbox.resolve("slow.csv");
            try (java.io.Writer w = Files.newBufferedWriter(slow)) {
                w.write("orderId;payerIban;payeeIban;payeeName;amount;message;reference\n");
                for (int i = 1; i <= 12; i++) {
                    w.write("S-" + i + ";" + PAYER_1 + ";FI9112345600000786;Slow " + i + ";1.00;;\n");
                    w.flush();
                    Thread.sleep(150);
                }
            }
            List<Map<String, Object>> sca = approve(h, 1);
            assertThat(sca.get(0)).containsEntry("count", 12);
            Map<String, CSVRecord> rows = finalReport(outbox.resolve("slow.csv.status.csv"), ';', 12);
            assertThat(rows.values()).extracting(r -> r.get("state")).containsOnly("COMPLETED");

            // the same file dropped again: refused whole, nothing paid twice
            drop(inbox, "slow.csv", Files.readString(inbox.resolve(".done/slow.csv")), StandardCharsets.UTF_8);
            waitFor(inbox.resolve(".error/slow.csv.reason.txt"));
            assertThat(Files.readString(inbox.resolve(".error/slow.csv.reason.txt"))).contains("ingested before");
            assertThat(h.nextScaEvent(1000)).isNull();
            assertThat(read(outbox.resolve("slow.csv.status.csv"), ';').values()).extracting(r -> r.get("state"))
                    .containsOnly("COMPLETED");
        }
    }

    static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 120 && !Files.exists(file); i++) {
            Thread.sleep(250);
        }
        assertThat(file).exists();
    }
}
