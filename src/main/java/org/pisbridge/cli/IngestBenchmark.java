package org.pisbridge.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.pisbridge.files.CsvLayout;
import org.pisbridge.files.FileIntake;
import org.pisbridge.store.BatchFileStore;
import org.pisbridge.store.Database;
import org.pisbridge.store.ExemptionRules;
import org.pisbridge.store.OrderStore;
import org.pisbridge.store.Transactions;

/**
 * {@code pis-bridge bench-ingest N [--pain001]}: generates an N-line CSV batch file, or an
 * N-transaction pain.001.001.09 in two payment information blocks (one line or transaction in a
 * hundred bad), and ingests it through validation into stored orders in a fresh H2 file store, as
 * the file route does, then prints lines per second and the peak heap. Meant to run with -Xmx256m.
 */
final class IngestBenchmark {
    private static final String[] PAYERS = {"FI4950009420028730", "FI5850009420172322"};
    private static final String[] PAYEES = {"FI9112345600000786", "FI2940000000000011", "FI2840000000000029"};

    private IngestBenchmark() {
    }

    static int run(int lines, boolean pain001) throws Exception {
        try (ScratchDirectory scratch = new ScratchDirectory("pis-bench-ingest")) {
            return ingest(lines, pain001 ? pain001(lines, scratch) : csv(lines, scratch), scratch);
        }
    }

    private static Path csv(int lines, ScratchDirectory scratch) throws Exception {
        Path file = scratch.resolve("bench.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("orderId;payerIban;payeeIban;payeeName;amount;message;reference\n");
            for (int i = 1; i <= lines; i++) {
                String amount = i % 100 == 0 ? "-1" : (i % 5000) + "," + String.format("%02d", i % 100);
                w.write("BENCH-" + i + ";" + PAYERS[i % 2] + ";" + PAYEES[i % 3] + ";Työntekijä Äijälä " + i + ";\"" + amount
                        + "\";Palkka 11/2026;\n");
            }
        }
        return file;
    }

    /** One transaction in a hundred with a wrong IBAN checksum; amounts 0.01 to 50.00, so the totals are known up front. */
    private static Path pain001(int transactions, ScratchDirectory scratch) throws Exception {
        Path file = scratch.resolve("bench.xml");
        int first = transactions / 2;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 65536)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            String ns = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";
            x.writeStartDocument("UTF-8", "1.0");
            x.setDefaultNamespace(ns);
            x.writeStartElement(ns, "Document");
            x.writeDefaultNamespace(ns);
            x.writeStartElement("CstmrCdtTrfInitn");
            x.writeStartElement("GrpHdr");
            text(x, "MsgId", "BENCH-" + transactions);
            text(x, "CreDtTm", "2026-11-30T09:30:00");
            text(x, "NbOfTxs", Integer.toString(transactions));
            text(x, "CtrlSum", sum(1, transactions).toPlainString());
            x.writeStartElement("InitgPty");
            text(x, "Nm", "Äijälä Group Treasury");
            x.writeEndElement();
            x.writeEndElement();
            for (int block = 0; block < 2; block++) {
                int from = block == 0 ? 1 : first + 1;
                int to = block == 0 ? first : transactions;
                x.writeStartElement("PmtInf");
                text(x, "PmtInfId", "BENCH-" + block);
                text(x, "PmtMtd", "TRF");
                text(x, "NbOfTxs", Integer.toString(to - from + 1));
                text(x, "CtrlSum", sum(from, to).toPlainString());
                x.writeStartElement("ReqdExctnDt");
                text(x, "Dt", "2026-11-30");
                x.writeEndElement();
                x.writeStartElement("Dbtr");
                text(x, "Nm", "Äijälä Oy");
                x.writeEndElement();
                x.writeStartElement("DbtrAcct");
                x.writeStartElement("Id");
                text(x, "IBAN", PAYERS[block]);
                x.writeEndElement();
                x.writeEndElement();
                x.writeStartElement("DbtrAgt");
                x.writeStartElement("FinInstnId");
                text(x, "BICFI", "OKOYFIHH");
                x.writeEndElement();
                x.writeEndElement();
                for (int i = from; i <= to; i++) {
                    x.writeStartElement("CdtTrfTxInf");
                    x.writeStartElement("PmtId");
                    text(x, "EndToEndId", "BENCH-" + i);
                    x.writeEndElement();
                    x.writeStartElement("Amt");
                    x.writeStartElement("InstdAmt");
                    x.writeAttribute("Ccy", "EUR");
                    x.writeCharacters(amount(i).toPlainString());
                    x.writeEndElement();
                    x.writeEndElement();
                    x.writeStartElement("Cdtr");
                    text(x, "Nm", "Työntekijä Äijälä " + i);
                    x.writeEndElement();
                    x.writeStartElement("CdtrAcct");
                    x.writeStartElement("Id");
                    text(x, "IBAN", i % 100 == 0 ? "FI9112345600000787" : PAYEES[i % 3]);
                    x.writeEndElement();
                    x.writeEndElement();
                    x.writeStartElement("RmtInf");
                    text(x, "Ustrd", "Palkka 11/2026");
                    x.writeEndElement();
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeEndDocument();
            x.close();
        }
        return file;
    }

    private static BigDecimal amount(int i) {
        return BigDecimal.valueOf(i % 5000 + 1, 2);
    }

    private static BigDecimal sum(int from, int to) {
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = from; i <= to; i++) {
            sum = sum.add(amount(i));
        }
        return sum;
    }

    private static void text(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeStartElement(name);
        x.writeCharacters(value);
        x.writeEndElement();
    }

    private static int ingest(int lines, Path file, ScratchDirectory scratch) throws Exception {
        try (Database db = scratch.database(2)) {
            Transactions tx = new Transactions(db.dataSource());
            FileIntake intake = new FileIntake(new CsvLayout(';', ',', StandardCharsets.UTF_8, CsvLayout.columns(null)),
                    new OrderStore(tx, Clock.systemUTC(), new ExemptionRules(false, Set.of())),
                    new BatchFileStore(tx, Clock.systemUTC()), 50_000);
            // the heap in use, sampled while the file is ingested (pool peaks taken apart would overstate it)
            AtomicLong peak = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            long start = System.nanoTime();
            FileIntake.Progress p;
            try (InputStream in = Files.newInputStream(file)) {
                p = intake.ingest(file.getFileName().toString(), in, java.time.Duration.ofSeconds(30));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();
            System.out.printf("%d lines (%d accepted, %d rejected; a %d MB file) in %.1f s: %.0f lines/s; peak heap %d MB of max"
                    + " %d MB%n", p.lines(), p.accepted(), p.rejected(), Files.size(file) >> 20, seconds, p.lines() / seconds,
                    peak.get() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
            return p.lines() == lines && p.accepted() + p.rejected() == lines ? 0 : 1;
        }
    }
}
