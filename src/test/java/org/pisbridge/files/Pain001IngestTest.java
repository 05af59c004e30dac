package org.pisbridge.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.files.Pain001Samples.PmtInf;
import org.pisbridge.files.Pain001Samples.Tx;
import org.pisbridge.store.BatchFileStore;
import org.pisbridge.store.Database;
import org.pisbridge.store.ExemptionRules;
import org.pisbridge.store.OrderStore;
import org.pisbridge.store.OrderRecords;
import org.pisbridge.store.Transactions;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * pain.001.001.03 and .09 files into a real H2 store: what is stored from each transaction, one
 * bundle per PmtInf, a file refused whole (schema, totals, MsgId seen before), each bad transaction
 * refused with its path and ISO reason code, and the pain.002 written back, valid against its schema.
 */
public class Pain001IngestTest {
    static final String PAYER_1 = "FI4950009420028730";
    static final String PAYER_2 = "FI5850009420172322";
    private static final Duration EVERY = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Database db;
    private OrderStore orders;
    private BatchFileStore files;
    private OrderRecords payments;
    private FileIntake intake;

    @BeforeEach
    void store() {
        db = Database.h2File(dir, 2);
        Transactions tx = new Transactions(db.dataSource());
        orders = new OrderStore(tx, Clock.systemUTC(), new ExemptionRules(true, Set.of()));
        files = new BatchFileStore(tx, Clock.systemUTC());
        payments = new OrderRecords(tx, java.time.Clock.systemUTC(), java.time.Duration.ofHours(1));
        intake = new FileIntake(new CsvLayout(';', '.', StandardCharsets.UTF_8, CsvLayout.columns(null)), orders, files, 1000);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private FileIntake.Progress ingest(String name, String xml) throws Exception {
        return intake.ingest(name, new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), EVERY);
    }

    /** Two blocks of the same debtor and one of another; Finnish and French names, both remittance kinds. */
    static List<PmtInf> payroll(String prefix) {
        return List.of(
                new PmtInf(prefix + "-SAL", "Äijälä Oy", PAYER_1, List.of(
                        Tx.eur(prefix + "-1", "1250.00", "Äijälä Consulting Oy", "FI9112345600000786").message("Palkka marraskuu"),
                        Tx.eur(prefix + "-2", "89.90", "Öhman Åsa", "FI2940000000000011").reference("RF18539007547034"))),
                new PmtInf(prefix + "-SUP", "Äijälä Oy", PAYER_1, List.of(
                        Tx.eur(prefix + "-3", "12.35", "Société Générale Müller &amp; Fils", "FR7630006000011234567890189")
                                .message("Facture n° 2026-118 « été »").reference("1232"))),
                new PmtInf(prefix + "-FR", "Éléonore Côté SARL", PAYER_2, List.of(
                        Tx.eur(prefix + "-4", "7.50", "Crème Brûlée Oy", "FI2840000000000029").instrId(prefix + "-I4"))));
    }

    @Test
    void pain001Version03And09AreStoredOneBundlePerPaymentInformationBlock() throws Exception {
        for (String version : List.of("03", "09")) {
            String p = "V" + version;
            FileIntake.Progress progress = ingest("payroll-" + version + ".xml", Pain001Samples.file(version, "MSG-" + p,
                    payroll(p)));
            assertThat(progress).isEqualTo(new FileIntake.Progress(4, 4, 0, 0, 3));
            assertThat(payments.order(p + "-1").payeeName()).isEqualTo("Äijälä Consulting Oy");
            assertThat(payments.order(p + "-1").message()).isEqualTo("Palkka marraskuu");
            assertThat(payments.order(p + "-2").reference()).isEqualTo("RF18539007547034");
            assertThat(payments.order(p + "-3").payeeName()).isEqualTo("Société Générale Müller & Fils");
            assertThat(payments.order(p + "-3").message()).isEqualTo("Facture n° 2026-118 « été »");
            assertThat(payments.order(p + "-3").reference()).isEqualTo("1232");
            assertThat(payments.order(p + "-3").amountEur()).isEqualByComparingTo(new BigDecimal("12.35"));
            assertThat(payments.order(p + "-4").payerIban()).isEqualTo(PAYER_2);
            List<BatchFileStore.ReportRow> rows = files.report("payroll-" + version + ".xml");
            assertThat(rows).extracting(BatchFileStore.ReportRow::line).containsExactly(1, 2, 3, 4);
            assertThat(rows).extracting(BatchFileStore.ReportRow::state).containsOnly("BUNDLED");
            // the same debtor in two blocks: two bundles, two SCAs
            assertThat(rows.get(0).bundleId()).isEqualTo(rows.get(1).bundleId()).isNotEqualTo(rows.get(2).bundleId());
            assertThat(rows.stream().map(BatchFileStore.ReportRow::bundleId).distinct()).hasSize(3);
        }
    }

    @Test
    void theContentNotTheNameSaysWhatAFileIs() throws Exception {
        ingest("export.csv", "\uFEFF" + Pain001Samples.file("09", "MSG-NAME", payroll("NM")));
        assertThat(files.painFile("export.csv")).isPresent();
        assertThat(payments.order("NM-1").payeeName()).isEqualTo("Äijälä Consulting Oy");
    }

    @Test
    void wrongTotalsRefuseTheWholeFileWithTheirReason() throws Exception {
        List<PmtInf> infos = payroll("CS");
        assertThatThrownBy(() -> ingest("ctrl.xml", Pain001Samples.file("09", "MSG-CTRL", infos, 4, "1359.74")))
                .isInstanceOf(CsvLayout.UnreadableFile.class)
                .hasMessageContaining("GrpHdr/CtrlSum is 1359.74 but the transactions' amounts add up to 1359.75");
        assertThatThrownBy(() -> ingest("count.xml", Pain001Samples.file("03", "MSG-COUNT", infos, 5, "1359.75")))
                .isInstanceOf(CsvLayout.UnreadableFile.class)
                .hasMessageContaining("GrpHdr/NbOfTxs is 5 but the file has 4 transactions");
        assertThat(files.report("ctrl.xml")).isEmpty();
        assertThatThrownBy(() -> payments.order("CS-1")).hasMessageContaining("No order");
    }

    @Test
    void aFileAgainstTheSchemaIsRefusedWithLineAndPath() throws Exception {
        String xml = Pain001Samples.file("09", "MSG-XSD", payroll("X")).replace("<ChrgBr>SLEV</ChrgBr>\n    </PmtInf>", "")
                .replace("<Cdtr><Nm>Öhman Åsa</Nm></Cdtr>", "<Cdtr><Nm>Öhman Åsa</Nm><Name>x</Name></Cdtr>");
        assertThatThrownBy(() -> ingest("xsd.xml", xml)).isInstanceOf(CsvLayout.UnreadableFile.class)
                .hasMessageContaining("not valid pain.001.001.09 at line 32, PmtInf[1]/CdtTrfTxInf[2]/Cdtr")
                .hasMessageContaining("Name");
        assertThatThrownBy(() -> ingest("other.xml", "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:"
                + "camt.053.001.02\"/>")).isInstanceOf(CsvLayout.UnreadableFile.class).hasMessageContaining("not a pain.001");
        // an external entity is never fetched: a file with a DOCTYPE is refused whole
        String entity = Pain001Samples.file("09", "MSG-XXE", payroll("XE")).replaceFirst("\\?>\n",
                "?>\n<!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n").replace("Palkka marraskuu", "&x;");
        assertThatThrownBy(() -> ingest("xxe.xml", entity)).isInstanceOf(CsvLayout.UnreadableFile.class)
                .hasMessageContaining("DOCTYPE");
        assertThat(files.report("xxe.xml")).isEmpty();
    }

    @Test
    void eachBadTransactionIsRefusedWithItsPathAndTheOthersGoOn() throws Exception {
        String future = LocalDate.now().plusDays(3).toString();
        List<PmtInf> infos = List.of(
                new PmtInf("BAD-A", "Äijälä Oy", PAYER_1, List.of(
                        Tx.eur("B-1", "10.00", "Good", "FI9112345600000786"),
                        Tx.eur("B-2", "10.00", "Bad checksum", "FI9112345600000787"))),
                new PmtInf("BAD-B", "Äijälä Oy", PAYER_1, List.of(
                        Tx.eur("B-3", "10.00", "Swedish crowns", "FI9112345600000786").currency("SEK"),
                        Tx.eur("B-1", "10.00", "Same id again", "FI9112345600000786"),
                        Tx.eur("B-5", "10.001", "Three decimals", "FI9112345600000786"),
                        Tx.eur("B-6", "20.00", "Good too", "FI2940000000000011"))),
                new PmtInf("LATER", "Äijälä Oy", PAYER_1, future, List.of(
                        Tx.eur("B-7", "10.00", "Next week", "FI9112345600000786"))));
        FileIntake.Progress p = ingest("bad.xml", Pain001Samples.file("09", "MSG-BAD", infos));
        assertThat(p).isEqualTo(new FileIntake.Progress(7, 2, 4, 1, 2));
        Map<Integer, BatchFileStore.ReportRow> rows = files.report("bad.xml").stream()
                .collect(Collectors.toMap(BatchFileStore.ReportRow::line, r -> r));
        assertThat(rows.get(2).reason()).isEqualTo("file bad.xml PmtInf[1]/CdtTrfTxInf[2]/CdtrAcct: IBAN checksum is wrong");
        assertThat(rows.get(3).reason()).contains("PmtInf[2]/CdtTrfTxInf[1]/Amt/InstdAmt: currency SEK is not paid");
        assertThat(rows.get(4).state()).isEqualTo("DUPLICATE");
        assertThat(rows.get(4).reason()).contains("PmtInf[2]/CdtTrfTxInf[2]/PmtId/EndToEndId: B-1 was received before");
        assertThat(rows.get(5).reason()).contains("PmtInf[2]/CdtTrfTxInf[3]/Amt/InstdAmt: has more than two decimals");
        assertThat(rows.get(7).reason()).contains("PmtInf[3]/ReqdExctnDt: requested execution date " + future
                + " is in the future");
        assertThat(rows.get(1).state()).isEqualTo("BUNDLED");
        assertThat(rows.get(6).state()).isEqualTo("BUNDLED");

        Document report = pain002("bad.xml", "pain.002.001.10");
        assertThat(text(report, "GrpSts")).containsExactly("PART");
        assertThat(text(report, "OrgnlPmtInfId")).containsExactly("BAD-A", "BAD-B", "LATER");
        assertThat(text(report, "PmtInfSts")).containsExactly("PART", "PART", "RJCT");
        assertThat(text(report, "TxSts")).containsExactly("ACTC", "RJCT", "RJCT", "RJCT", "RJCT", "ACTC", "RJCT");
        assertThat(text(report, "Cd")).containsExactly("AC01", "AM03", "AM05", "AM12", "DT01");
        assertThat(text(report, "AddtlInf").get(0)).startsWith("file bad.xml PmtInf[1]/CdtTrfTxInf[2]/CdtrAcct");
    }

    @Test
    void aMsgIdIsTakenOnceWhateverTheFileName() throws Exception {
        String xml = Pain001Samples.file("03", "MSG-ONCE", payroll("O"));
        ingest("once.xml", xml);
        assertThatThrownBy(() -> ingest("once-again.xml", xml)).isInstanceOf(CsvLayout.UnreadableFile.class)
                .hasMessageContaining("MsgId MSG-ONCE was ingested before (file once.xml)");
        assertThatThrownBy(() -> ingest("once.xml", xml)).isInstanceOf(CsvLayout.UnreadableFile.class)
                .hasMessageContaining("ingested before");
        assertThat(files.report("once.xml")).hasSize(4);
    }

    @Test
    void thePain002MatchesTheInputVersionAndItsSchema() throws Exception {
        ingest("r03.xml", Pain001Samples.file("03", "MSG-R03", payroll("R3")));
        Document v03 = pain002("r03.xml", "pain.002.001.03");
        assertThat(text(v03, "OrgnlMsgId")).containsExactly("MSG-R03");
        assertThat(text(v03, "OrgnlMsgNmId")).containsExactly("pain.001.001.03");
        assertThat(text(v03, "OrgnlEndToEndId")).containsExactly("R3-1", "R3-2", "R3-3", "R3-4");
        assertThat(text(v03, "OrgnlInstrId")).containsExactly("R3-I4");
        assertThat(text(v03, "TxSts")).containsOnly("ACTC");
        ingest("r09.xml", Pain001Samples.file("09", "MSG-R09", payroll("R9")));
        assertThat(text(pain002("r09.xml", "pain.002.001.10"), "OrgnlCtrlSum")).containsExactly("1359.75");
    }

    @Test
    void aFileCutOffIsResumedAfterItsLastStoredTransaction() throws Exception {
        // the last run stored the first block's two transactions and died: its bundle is still open
        files.begin("cut.xml");
        org.pisbridge.orders.OrderValidator v = new org.pisbridge.orders.OrderValidator();
        orders.accept(v.validate(new org.pisbridge.orders.OrderInput("CUT-1", null, null, PAYER_1, "FI9112345600000786",
                "Äijälä Consulting Oy", "1250.00", "Palkka marraskuu", null, null)).order(), "FILE", "cut.xml", 1);
        orders.accept(v.validate(new org.pisbridge.orders.OrderInput("CUT-2", null, null, PAYER_1, "FI2940000000000011",
                "Öhman Åsa", "89.90", null, "RF18539007547034", null)).order(), "FILE", "cut.xml", 2);

        FileIntake.Progress p = ingest("cut.xml", Pain001Samples.file("09", "MSG-CUT", payroll("CUT")));
        assertThat(p).isEqualTo(new FileIntake.Progress(4, 2, 0, 0, 3));
        List<BatchFileStore.ReportRow> rows = files.report("cut.xml");
        assertThat(rows).extracting(BatchFileStore.ReportRow::orderId).containsExactly("CUT-1", "CUT-2", "CUT-3", "CUT-4");
        assertThat(rows).extracting(BatchFileStore.ReportRow::state).containsOnly("BUNDLED");
        assertThat(rows.stream().map(BatchFileStore.ReportRow::bundleId).distinct()).hasSize(3);
        assertThat(text(pain002("cut.xml", "pain.002.001.10"), "OrgnlEndToEndId")).containsExactly("CUT-1", "CUT-2", "CUT-3",
                "CUT-4");
    }

    @Test
    void statusMapping() {
        assertThat(Pain002Report.status("BUNDLED", null)).isEqualTo("ACTC");
        assertThat(Pain002Report.status("AWAITING_SCA", null)).isEqualTo("PDNG");
        assertThat(Pain002Report.status("AUTHORIZED", null)).isEqualTo("ACCP");
        assertThat(Pain002Report.status("SUBMITTED", "Accepted")).isEqualTo("ACSP");
        assertThat(Pain002Report.status("SUBMITTED", "Pending")).isEqualTo("PDNG");
        assertThat(Pain002Report.status("COMPLETED", "Credited")).isEqualTo("ACSC");
        assertThat(Pain002Report.status("FAILED", "Error")).isEqualTo("RJCT");
        assertThat(Pain002Report.groupStatus(List.of("ACSC", "ACSP", "PDNG"))).isEqualTo("PDNG");
        assertThat(Pain002Report.groupStatus(List.of("ACSC", "RJCT"))).isEqualTo("PART");
        assertThat(Pain002Report.groupStatus(List.of("ACSC", "ACSC"))).isEqualTo("ACSC");
        assertThat(Pain002Report.additionalInfo("word ".repeat(50))).hasSize(3).allMatch(p -> p.length() <= 105 && !p.isBlank());
        assertThat(Pain002Report.additionalInfo("x".repeat(120))).containsExactly("x".repeat(105), "x".repeat(15));
    }

    /** The file's report as FileReports writes it, checked against the official schema of {@code version}. */
    private Document pain002(String file, String version) throws Exception {
        FileReports reports = new FileReports(files, ';', "http://127.0.0.1:8080", Clock.systemUTC());
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(file);
            reports.write(exchange, 30);
            assertThat(exchange.getMessage().getHeader(Exchange.FILE_NAME)).isEqualTo(file + ".pain.002.xml");
            String xml = exchange.getMessage().getBody(String.class);
            return valid(xml, version);
        }
    }

    public static Document valid(String xml, String version) throws Exception {
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(Pain001IngestTest.class.getResource("/iso20022/" + version + ".xsd")).newValidator()
                .validate(new StreamSource(new StringReader(xml)));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new org.xml.sax.InputSource(new StringReader(xml)));
        assertThat(d.getDocumentElement().getNamespaceURI()).isEqualTo("urn:iso:std:iso:20022:tech:xsd:" + version);
        return d;
    }

    public static List<String> text(Document d, String element) {
        NodeList nodes = d.getElementsByTagNameNS("*", element);
        return java.util.stream.IntStream.range(0, nodes.getLength()).mapToObj(i -> ((Element) nodes.item(i)).getTextContent())
                .toList();
    }
}
