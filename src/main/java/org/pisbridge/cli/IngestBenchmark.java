package org.pisbridge.cli;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.pisbridge.files.CsvLayout;
import org.pisbridge.files.FileIntake;
import org.pisbridge.store.BatchFileStore;
import org.pisbridge.store.Database;
import org.pisbridge.store.ExemptionRules;
import org.pisbridge.store.OrderStore;
import org.pisbridge.store.Transactions;

/**
 * {@code pis-bridge bench-ingest N}: generates an N-line batch file (one line in a hundred bad)
 * and ingests it through validation into stored orders in a fresh H2 file store, as the file
 * route does, then prints lines per second and the peak heap. Meant to run with -Xmx256m.
 */
final class IngestBenchmark {
    private static final String[] PAYERS = {"FI4950009420028730", "FI5850009420172322"};
    private static final String[] PAYEES = {"FI9112345600000786", "FI2940000000000011", "FI2840000000000029"};

    private IngestBenchmark() {
    }

    static int run(int lines) throws Exception {
        try (ScratchDirectory scratch = new ScratchDirectory("pis-bench-ingest")) {
            return ingest(lines, scratch);
        }
    }

    private static int ingest(int lines, ScratchDirectory scratch) throws Exception {
        Path file = scratch.resolve("bench.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("orderId;payerIban;payeeIban;payeeName;amount;message;reference\n");
            for (int i = 1; i <= lines; i++) {
                String amount = i % 100 == 0 ? "-1" : (i % 5000) + "," + String.format("%02d", i % 100);
                w.write("BENCH-" + i + ";" + PAYERS[i % 2] + ";" + PAYEES[i % 3] + ";Työntekijä Äijälä " + i + ";\"" + amount
                        + "\";Palkka 11/2026;\n");
            }
        }
        try (Database db = scratch.database(2)) {
            Transactions tx = new Transactions(db.dataSource());
            FileIntake intake = new FileIntake(new CsvLayout(';', ',', StandardCharsets.UTF_8, CsvLayout.columns(null)),
                    new OrderStore(tx, Clock.systemUTC(), new ExemptionRules(false, Set.of())),
                    new BatchFileStore(tx, Clock.systemUTC()), 10_000);
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
            System.out.printf("%d lines (%d accepted, %d rejected) in %.1f s: %.0f lines/s; peak heap %d MB of max %d MB%n",
                    p.lines(), p.accepted(), p.rejected(), seconds, p.lines() / seconds, peak.get() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
            return p.lines() == lines && p.accepted() + p.rejected() == lines ? 0 : 1;
        }
    }
}
