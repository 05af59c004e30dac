package org.pisbridge.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.store.BatchFileStore;
import org.pisbridge.store.Database;
import org.pisbridge.store.ExemptionRules;
import org.pisbridge.store.OrderStore;
import org.pisbridge.store.OrderRecords;
import org.pisbridge.store.Transactions;

/**
 * The CSV formats ERPs write and each kind of bad line, ingested into a real H2 file store: what
 * is stored (amounts, names) and what the file's report says for every line.
 */
class CsvIngestTest {
    private static final String PAYER = "FI4950009420028730";
    private static final java.time.Duration EVERY = java.time.Duration.ofSeconds(30);
    private static final String HEADER = "orderId;payerIban;payeeIban;payeeName;amount;message;reference";

    @TempDir
    Path dir;
    private Database db;
    private OrderStore orders;
    private BatchFileStore files;
    private OrderRecords payments;

    @BeforeEach
    void store() {
        db = Database.h2File(dir, 2);
        Transactions tx = new Transactions(db.dataSource());
        orders = new OrderStore(tx, Clock.systemUTC(), new ExemptionRules(true, java.util.Set.of()));
        files = new BatchFileStore(tx, Clock.systemUTC());
        payments = new OrderRecords(tx, java.time.Clock.systemUTC(), java.time.Duration.ofHours(1));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private FileIntake intake(char delimiter, char decimal, Charset charset, String columns) {
        return new FileIntake(new CsvLayout(delimiter, decimal, charset, CsvLayout.columns(columns)), orders, files, 1000);
    }

    private FileIntake.Progress ingest(FileIntake intake, String name, byte[] content) throws Exception {
        return intake.ingest(name, new ByteArrayInputStream(content), EVERY);
    }

    private Map<Integer, BatchFileStore.ReportRow> report(String name) {
        return files.report(name).stream().collect(Collectors.toMap(BatchFileStore.ReportRow::line, r -> r));
    }

    @Test
    void semicolonsDecimalCommaWindows1252AndCrlf() throws Exception {
        String csv = HEADER + "\r\nW-1;" + PAYER + ";FI9112345600000786;Äijälä Öljy Åström;1234,50;Palkka;\r\n"
                + "W-2;" + PAYER + ";FI9112345600000786;Ström;\"0,05\";;\r\n";
        FileIntake.Progress p = ingest(intake(';', ',', Charset.forName("windows-1252"), null), "w.csv",
                csv.getBytes(Charset.forName("windows-1252")));
        assertThat(p.accepted()).isEqualTo(2);
        assertThat(payments.order("W-1").payeeName()).isEqualTo("Äijälä Öljy Åström");
        assertThat(payments.order("W-1").amountEur()).isEqualByComparingTo(new BigDecimal("1234.50"));
        assertThat(payments.order("W-2").amountEur()).isEqualByComparingTo(new BigDecimal("0.05"));
        assertThat(report("w.csv").get(2).orderId()).isEqualTo("W-1");
    }

    @Test
    void commasWithQuotedDelimitersQuotesAndNewlinesInUtf8WithBom() throws Exception {
        String csv = "orderId,payerIban,payeeIban,payeeName,amount,message,reference\n"
                + "Q-1," + PAYER + ",FI9112345600000786,\"Oy \"\"Äijä\"\", Ab\",10.00,\"a, b\",\n"
                + "Q-2," + PAYER + ",FI9112345600000786,Nimi,10.00,\"first line\nsecond, line\",\n"
                + "Q-3," + PAYER + ",FI2940000000000011,Åsa,20,,\n";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = csv.getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, content, 0, 3);
        System.arraycopy(body, 0, content, 3, body.length);
        FileIntake.Progress p = ingest(intake(',', '.', StandardCharsets.UTF_8, null), "q.csv", content);
        assertThat(p.accepted()).isEqualTo(3);
        assertThat(payments.order("Q-1").payeeName()).isEqualTo("Oy \"Äijä\", Ab");
        assertThat(payments.order("Q-1").message()).isEqualTo("a, b");
        assertThat(report("q.csv").get(3).orderId()).isEqualTo("Q-2");
        // the quoted line break counts: Q-3 is on the file's fifth line
        assertThat(report("q.csv").get(5).orderId()).isEqualTo("Q-3");
    }

    @Test
    void aQuotedLineBreakInAMessageOrNameIsPaidAsASpace() throws Exception {
        String csv = HEADER + "\r\n"
                + "L-1;" + PAYER + ";FI9112345600000786;\"Äijälä\r\nConsulting Oy\";12.00;\"Invoice 118\r\n  rows 1-3\nand 4\";\r\n"
                + "L-2;" + PAYER + ";FI9112345600000786;Nimi;1.00;\"tab\there\";\r\n"
                + "L-3;" + PAYER + ";FI9112345600000786;Nimi;1.00;;\"RF18\n539007547034\"\r\n";
        FileIntake.Progress p = ingest(intake(';', '.', StandardCharsets.UTF_8, null), "lb.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(p.accepted()).isEqualTo(1);
        assertThat(payments.order("L-1").message()).isEqualTo("Invoice 118 rows 1-3 and 4");
        assertThat(payments.order("L-1").payeeName()).isEqualTo("Äijälä Consulting Oy");
        // only line breaks are the ERP's layout; other control characters and a broken reference stay refused
        // L-1 spans lines 2 to 5
        assertThat(report("lb.csv").get(6).reason()).contains("lb.csv line 6", "message: contains control characters");
        assertThat(report("lb.csv").get(7).reason()).contains("lb.csv line 7", "reference: contains control characters");
    }

    @Test
    void lineNumbersArePhysicalLinesCountingBlankLinesAndQuotedLineBreaks() throws Exception {
        String csv = String.join("\n", HEADER,
                "N-1;" + PAYER + ";FI9112345600000786;One;1.00;;",
                "",
                "N-2;" + PAYER + ";FI9112345600000787;Bad checksum after a blank line;1.00;;",
                "N-3;" + PAYER + ";FI9112345600000786;Three;1.00;\"two\nlines\";",
                "",
                "",
                "N-4;" + PAYER + ";FI9112345600000786;Zero;0;;",
                "N-5;" + PAYER + ";FI9112345600000786;Five;1.00;;") + "\n\n";
        FileIntake.Progress p = ingest(intake(';', '.', StandardCharsets.UTF_8, null), "n.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(p.accepted()).isEqualTo(3);
        Map<Integer, BatchFileStore.ReportRow> rows = report("n.csv");
        assertThat(rows.keySet()).containsExactlyInAnyOrder(2, 4, 5, 9, 10);
        assertThat(rows.get(4).reason()).startsWith("file n.csv line 4: payeeIban");
        assertThat(rows.get(5).orderId()).isEqualTo("N-3");
        assertThat(rows.get(9).reason()).startsWith("file n.csv line 9: amount");
        assertThat(rows.get(10).orderId()).isEqualTo("N-5");
    }

    @Test
    void reportCellsThatASpreadsheetWouldRunAsFormulasAreNeutralised() throws Exception {
        String csv = String.join("\n", HEADER,
                "=cmd|' /C calc'!A0;" + PAYER + ";FI9112345600000786;A;1.00;;",
                "+1+2;" + PAYER + ";FI9112345600000786;B;1.00;;",
                "-3;" + PAYER + ";FI9112345600000786;C;1.00;;",
                "@SUM(1);" + PAYER + ";FI9112345600000786;D;1.00;;",
                "SAFE-5;" + PAYER + ";FI9112345600000786;E;1.00;;");
        ingest(intake(';', '.', StandardCharsets.UTF_8, null), "f.csv", csv.getBytes(StandardCharsets.UTF_8));
        FileReports reports = new FileReports(files, ';', "http://127.0.0.1:8080", Clock.systemUTC());
        try (org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
            exchange.getMessage().setBody("f.csv");
            reports.write(exchange, 30);
            List<String> ids = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setDelimiter(';').setHeader()
                    .setSkipHeaderRecord(true).get().parse(new java.io.StringReader(exchange.getMessage().getBody(String.class)))
                    .stream().map(r -> r.get("orderId")).toList();
            assertThat(ids).containsExactly("'=cmd|' /C calc'!A0", "'+1+2", "'-3", "'@SUM(1)", "SAFE-5");
        }
        assertThat(FileReports.cell("\tx")).isEqualTo("'\tx");
        assertThat(FileReports.cell("\rx")).isEqualTo("'\rx");
        assertThat(FileReports.cell(null)).isNull();
    }

    @Test
    void iso88591AndAMappedLayout() throws Exception {
        String csv = "Lasku;Maksaja;Saaja;Nimi;Summa\nM-1;" + PAYER + ";FI9112345600000786;Mäkelä;7.5\n";
        FileIntake.Progress p = ingest(intake(';', '.', StandardCharsets.ISO_8859_1,
                "orderId=Lasku, payerIban=Maksaja, payeeIban=Saaja, payeeName=Nimi, amount=Summa"), "m.csv",
                csv.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(p.accepted()).isEqualTo(1);
        assertThat(payments.order("M-1").payeeName()).isEqualTo("Mäkelä");
    }

    @Test
    void eachKindOfBadLineIsRejectedWithLineFieldAndReasonAndTheGoodLinesGoOn() throws Exception {
        orders.accept(new org.pisbridge.orders.OrderValidator().validate(new org.pisbridge.orders.OrderInput("SEEN-1", null,
                null, PAYER, "FI9112345600000786", "Earlier", "1.00", null, null, null)).order(), "JMS", null, null);
        String csv = String.join("\n", HEADER,
                "G-1;" + PAYER + ";FI9112345600000786;Good;1.00;;",
                "B-2;" + PAYER + ";FI9112345600000787;Bad checksum;1.00;;",
                "B-3;" + PAYER + ";FI9112345600000786;Zero;0;;",
                "B-4;" + PAYER + ";FI9112345600000786;Three decimals;1.001;;",
                ";" + PAYER + ";FI9112345600000786;No id;1.00;;",
                "B-6;" + PAYER + ";FI9112345600000786;;1.00;;",
                "B-7;" + PAYER + ";FI9112345600000786;" + "N".repeat(71) + ";1.00;;",
                "B-8;" + PAYER + ";FI9112345600000786;Long reference;1.00;;" + "R".repeat(36),
                "B-9;" + PAYER + ";FI9112345600000786;Not a number;abc;;",
                "B-10;" + PAYER + ";FI9112345600000786;Too few fields",
                "G-1;" + PAYER + ";FI9112345600000786;Twice in the file;1.00;;",
                "SEEN-1;" + PAYER + ";FI9112345600000786;Seen before;1.00;;",
                "G-13;" + PAYER + ";FI9112345600000786;Good too;2.00;;");
        FileIntake.Progress p = ingest(intake(';', '.', StandardCharsets.UTF_8, null), "bad.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(p).isEqualTo(new FileIntake.Progress(13, 2, 9, 2, 1));
        Map<Integer, BatchFileStore.ReportRow> rows = report("bad.csv");
        assertThat(rows).hasSize(13);
        assertThat(rows.get(2).state()).isEqualTo("BUNDLED");
        assertThat(rows.get(14).state()).isEqualTo("BUNDLED");
        Map<Integer, List<String>> expected = Map.of(
                3, List.of("payeeIban", "checksum"),
                4, List.of("amount", "greater than 0"),
                5, List.of("amount", "two decimals"),
                6, List.of("orderId", "required"),
                7, List.of("payeeName", "required"),
                8, List.of("payeeName", "longer than 70"),
                9, List.of("reference", "longer than 35"),
                10, List.of("amount", "not a number"),
                11, List.of("has 4 fields"));
        expected.forEach((line, words) -> {
            assertThat(rows.get(line).state()).as("line %s", line).isEqualTo("REJECTED_INPUT");
            assertThat(rows.get(line).reason()).as("line %s", line).contains("bad.csv line " + line).contains(words);
        });
        assertThat(rows.get(6).orderId()).isEqualTo("bad.csv:6");
        assertThat(rows.get(12).state()).isEqualTo("DUPLICATE");
        assertThat(rows.get(13).state()).isEqualTo("DUPLICATE");
        assertThat(payments.order("G-1").payeeName()).isEqualTo("Good");
    }

    @Test
    void aBadCharsetRejectsTheLineNotTheFile() throws Exception {
        byte[] latin = (HEADER + "\nC-1;" + PAYER + ";FI9112345600000786;Mäkelä;1.00;;\nC-2;" + PAYER
                + ";FI9112345600000786;Good;1.00;;\n").getBytes(StandardCharsets.ISO_8859_1);
        FileIntake.Progress p = ingest(intake(';', '.', StandardCharsets.UTF_8, null), "c.csv", latin);
        assertThat(p.accepted()).isEqualTo(1);
        assertThat(report("c.csv").get(2).reason()).contains("payeeName", "not valid UTF-8");
    }

    @Test
    void anUnusableHeaderRejectsTheWholeFileAndAFileNameIsTakenOnce() throws Exception {
        FileIntake semicolons = intake(';', '.', StandardCharsets.UTF_8, null);
        assertThatThrownBy(() -> ingest(semicolons, "commas.csv",
                ("orderId,payerIban,payeeIban,payeeName,amount\nX-1," + PAYER + ",FI9112345600000786,N,1\n")
                        .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CsvLayout.UnreadableFile.class).hasMessageContaining("lacks the column");
        assertThatThrownBy(() -> ingest(semicolons, "empty.csv", new byte[0]))
                .isInstanceOf(CsvLayout.UnreadableFile.class).hasMessageContaining("empty");
        assertThat(files.report("commas.csv")).isEmpty();

        byte[] once = (HEADER + "\nO-1;" + PAYER + ";FI9112345600000786;Once;1.00;;\n").getBytes(StandardCharsets.UTF_8);
        ingest(semicolons, "once.csv", once);
        assertThatThrownBy(() -> ingest(semicolons, "once.csv", once))
                .isInstanceOf(CsvLayout.UnreadableFile.class).hasMessageContaining("ingested before");
        assertThat(files.report("once.csv")).hasSize(1);
    }

    @Test
    void aBundleWhoseClosingAStopInterruptedIsClosedOnTheNextRound() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= 3; i++) {
            csv.append("K-").append(i).append(';').append(PAYER).append(";FI9112345600000786;Name;1.00;;\n");
        }
        ingest(intake(';', '.', StandardCharsets.UTF_8, null), "k.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        String bundleId = payments.order("K-1").bundleId();
        // as a stop leaves it: the bundle took no more orders (CLOSING), its orders not yet moved on
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("update bundle set state = 'CLOSING' where bundle_id = '" + bundleId + "'");
            st.executeUpdate("update order_progress set state = 'RECEIVED' where bundle_id = '" + bundleId + "'");
        }
        java.time.Duration longAgo = java.time.Duration.ofDays(1);
        assertThat(orders.bundlesDueToClose(longAgo, longAgo, longAgo)).containsExactly(bundleId);
        assertThat(orders.close(bundleId)).isTrue();
        assertThat(payments.bundle(bundleId).orElseThrow().state()).isEqualTo(org.pisbridge.orders.BundleState.CLOSED);
        assertThat(List.of("K-1", "K-2", "K-3")).allSatisfy(id ->
                assertThat(payments.order(id).state()).isEqualTo(org.pisbridge.orders.OrderState.BUNDLED));
        assertThat(orders.close(bundleId)).isFalse();
        assertThat(orders.bundlesDueToClose(longAgo, longAgo, longAgo)).isEmpty();
    }

    @Test
    void twoClosersOfOneBundleReportEachOrderOnce() throws Exception {
        // more orders than one closing chunk, so the two closers take turns chunk by chunk
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= 12_000; i++) {
            csv.append("T-").append(i).append(';').append(PAYER).append(";FI9112345600000786;Name;1.00;;\n");
        }
        ingest(intake(';', '.', StandardCharsets.UTF_8, null), "t.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        String bundleId = payments.order("T-1").bundleId();
        // back to where the file's end left it: closing, nothing reported yet
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("update bundle set state = 'CLOSING', reported_seq = null where bundle_id = '" + bundleId + "'");
            st.executeUpdate("delete from status_outbox where payload like '%\"state\":\"BUNDLED\"%'");
        }
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Boolean> first = two.submit(() -> orders.close(bundleId));
            java.util.concurrent.Future<Boolean> second = two.submit(() -> orders.close(bundleId));
            assertThat(List.of(first.get(), second.get())).contains(true);
        } finally {
            two.shutdown();
        }
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select count(*), count(distinct correlation_id) from status_outbox"
                     + " where payload like '%\"state\":\"BUNDLED\"%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("BUNDLED events").isEqualTo(12_000);
            assertThat(rs.getInt(2)).as("orders with a BUNDLED event").isEqualTo(12_000);
        }
        assertThat(payments.bundle(bundleId).orElseThrow().state()).isEqualTo(org.pisbridge.orders.BundleState.CLOSED);
    }

    @Test
    void aFileCutOffIsResumedAfterItsLastStoredLine() throws Exception {
        FileIntake intake = intake(';', '.', StandardCharsets.UTF_8, null);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= 6; i++) {
            csv.append("R-").append(i).append(';').append(PAYER).append(";FI9112345600000786;Name;1.00;;\n");
        }
        byte[] all = csv.toString().getBytes(StandardCharsets.UTF_8);
        // the first run stops after three lines (the process died): the stream breaks off there
        int cut = csv.indexOf("R-4");
        assertThatThrownBy(() -> intake.ingest("cut.csv", new java.io.SequenceInputStream(
                new ByteArrayInputStream(all, 0, cut), new java.io.InputStream() {
                    @Override
                    public int read() throws java.io.IOException {
                        throw new java.io.IOException("connection lost");
                    }
                }), EVERY)).hasMessageContaining("connection lost");
        assertThat(files.report("cut.csv")).hasSize(3);

        FileIntake.Progress p = intake.ingest("cut.csv", new ByteArrayInputStream(all), EVERY);
        assertThat(p.accepted()).isEqualTo(3);
        assertThat(p.duplicates()).isZero();
        assertThat(files.report("cut.csv")).extracting(BatchFileStore.ReportRow::line).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(files.report("cut.csv")).extracting(BatchFileStore.ReportRow::state).containsOnly("BUNDLED");
    }
}
