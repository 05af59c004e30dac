package org.pisbridge.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.pisbridge.orders.InputProblem;
import org.pisbridge.orders.OrderValidator;
import org.pisbridge.store.BatchFileStore;
import org.pisbridge.store.OrderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one ERP batch file (CSV here, ISO 20022 pain.001 by {@link Pain001Intake}), record by record: each line is validated and stored as an order
 * (or recorded as rejected or duplicate, with file, line, field and reason) in its own
 * transaction; at the end of the file its bundles (one per payer) are closed. A file cut off by a
 * crash is resumed after its last stored line; a file name ingested before is refused whole.
 */
public final class FileIntake {
    private static final Logger LOG = LoggerFactory.getLogger(FileIntake.class);

    private final CsvLayout layout;
    private final OrderValidator validator = new OrderValidator();
    private final OrderStore orders;
    private final BatchFileStore files;
    private final ProgressLog progress;
    private final Pain001Intake pain001;

    /** {@code progressEvery}: the fewest lines between two progress lines of a file in the log (pis.files.progress-every-lines). */
    public FileIntake(CsvLayout layout, OrderStore orders, BatchFileStore files, int progressEvery) {
        this.layout = layout;
        this.orders = orders;
        this.files = files;
        this.progress = new ProgressLog(progressEvery, Clock.systemUTC());
        this.pain001 = new Pain001Intake(orders, files, progress, Clock.systemDefaultZone());
    }

    /** Counts of one file's lines, for the log. */
    public record Progress(int lines, int accepted, int rejected, int duplicates, int bundles) {
    }

    /** The file route's call: {@code progressSeconds} is pis.files.progress-log-seconds. */
    public Progress ingest(Exchange exchange, int progressSeconds) throws IOException {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            return ingest(name, in, Duration.ofSeconds(progressSeconds));
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new CsvLayout.UnreadableFile("the file's content cannot be read: " + e.getMessage());
        }
    }

    /**
     * Ingests a CSV or a pain.001 file, told apart by content: XML (after an optional byte-order
     * mark and blanks) is read as pain.001 whatever the file's name, anything else as CSV.
     */
    public Progress ingest(String name, InputStream in, Duration progressEvery) throws IOException {
        BufferedInputStream bytes = new BufferedInputStream(in, 65536);
        if (!Pain001Intake.isXml(bytes)) {
            return ingestCsv(name, bytes, progressEvery);
        }
        // a pain.001 is read twice (checked whole, then taken): from a local copy, as an SFTP stream is read once
        Path copy = Files.createTempFile("pis-pain001-", ".xml");
        try {
            Files.copy(bytes, copy, StandardCopyOption.REPLACE_EXISTING);
            return pain001.ingest(name, copy, progressEvery);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private Progress ingestCsv(String name, InputStream in, Duration progressEvery) throws IOException {
        try (CSVParser parser = layout.open(in)) {
            BatchFileStore.Begun begun = begin(files, name);
            int headerSize = parser.getHeaderNames().size();
            int records = 0;
            int accepted = 0;
            int rejected = 0;
            Iterator<CSVRecord> parsed = parser.iterator();
            PendingLines pending = new PendingLines(orders, name);
            while (true) {
                // physical line numbers, as an editor shows them (blank lines and quoted line breaks count); the
                // parser reads a record ahead on hasNext(), so the line count before it is where the record starts
                int line = (int) parser.getCurrentLineNumber() + 1;
                CSVRecord record;
                try {
                    if (!parsed.hasNext()) {
                        break;
                    }
                    record = parsed.next();
                } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof CSVException)) {
                        pending.store();
                        throw e; // the file could not be read on: it is taken again and resumed after the lines stored
                    }
                    // a broken quote runs to the end of the file: nothing after it can be read as lines
                    pending.store();
                    if (line > begun.lastStoredLine()) {
                        files.lineRejected(name, line, lineId(name, line), where(name, line) + "is not valid CSV from here to"
                                + " the end of the file: " + e.getMessage());
                        rejected++;
                    }
                    records++;
                    break;
                }
                if (CsvLayout.blank(record)) {
                    continue;
                }
                records++;
                if (line <= begun.lastStoredLine()) {
                    continue;
                }
                if (take(name, line, record, headerSize, pending)) {
                    accepted++;
                } else {
                    rejected++;
                }
                if (pending.full()) {
                    pending.store();
                }
                if (progress.due(name, records, 0, progressEvery)) {
                    LOG.info("File {}: {} lines read, {} accepted, {} rejected, {} duplicates", name, records,
                            accepted - pending.duplicates(), rejected, pending.duplicates());
                }
            }
            pending.store();
            progress.done(name);
            return finish(orders, files, name, new Progress(records, accepted - pending.duplicates(), rejected,
                    pending.duplicates(), 0));
        }
    }

    /** A file's ingestion begun or resumed; a file name ingested before is refused whole. */
    static BatchFileStore.Begun begin(BatchFileStore files, String name) {
        BatchFileStore.Begun begun = files.begin(name);
        if (begun.start() == BatchFileStore.Start.ALREADY_INGESTED) {
            throw new CsvLayout.UnreadableFile("a file named " + name + " was ingested before; its orders are not taken"
                    + " again (send new orders under a new file name)");
        }
        if (begun.start() == BatchFileStore.Start.RESUMED) {
            LOG.info("File {}: resuming after line {}, stored before the last stop", name, begun.lastStoredLine());
        }
        return begun;
    }

    /** The file's open bundles closed for their SCA; how many. */
    static int closeBundles(OrderStore orders, String name) {
        int bundles = 0;
        for (String bundleId : orders.openBundles(OrderStore.fileBatchKey(name))) {
            if (orders.close(bundleId)) {
                bundles++;
            }
        }
        return bundles;
    }

    /** Every line of the file is stored: its last bundles close and its report is due. */
    static Progress finish(OrderStore orders, BatchFileStore files, String name, Progress read) {
        files.read(name, read.lines(), read.accepted(), read.rejected() + read.duplicates());
        Progress p = new Progress(read.lines(), read.accepted(), read.rejected(), read.duplicates(),
                read.bundles() + closeBundles(orders, name));
        LOG.info("File {} read: {} lines, {} accepted, {} rejected, {} duplicates; {} bundle(s) closed for SCA", name,
                p.lines(), p.accepted(), p.rejected(), p.duplicates(), p.bundles());
        return p;
    }

    /** Takes a line: a valid one joins the pending lines (true), a bad one is recorded rejected (false). */
    private boolean take(String name, int line, CSVRecord record, int headerSize, PendingLines pending) {
        CsvLayout.Line l = layout.line(record, headerSize);
        OrderValidator.Result result = validator.validate(l.input());
        String given = l.input().orderId() == null ? "" : l.input().orderId().strip();
        String orderId = !given.isEmpty() && given.length() <= OrderValidator.MAX_ORDER_ID ? given : lineId(name, line);
        List<InputProblem> problems = Stream.concat(l.problems().stream(), result.problems().stream()).toList();
        if (!problems.isEmpty()) {
            String reason = where(name, line) + problems.stream().map(p -> layout.column(p.field()) + ": " + p.reason())
                    .collect(Collectors.joining("; "));
            pending.store();
            files.lineRejected(name, line, orderId, reason);
            LOG.warn("Rejected {}", reason);
            return false;
        }
        pending.add(new OrderStore.FileLine(result.order(), line), () -> files.lineDuplicate(name, line, orderId,
                where(name, line) + "orderId " + orderId + " was received before; this line is not paid"));
        return true;
    }

    /** Names a line that has no usable orderId, within the 64 characters an order id may have. */
    private static String lineId(String name, int line) {
        String id = name + ":" + line;
        return id.length() <= OrderValidator.MAX_ORDER_ID ? id : id.substring(id.length() - OrderValidator.MAX_ORDER_ID);
    }

    private static String where(String name, int line) {
        return "file " + name + " line " + line + ": ";
    }
}
