package org.pisbridge.files;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.pisbridge.orders.BundleState;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BatchFileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status report of an ingested file, {@code <file>.status.csv}: one row per input line
 * (line, orderId, state, paymentId, bankStatus, reason) with its bundle and, while that bundle
 * waits for its SCA, the link to approve it. Rewritten whenever the file's orders changed; the
 * last time when every line is final.
 */
public final class FileReports {
    private static final Logger LOG = LoggerFactory.getLogger(FileReports.class);
    static final String[] COLUMNS = {"line", "orderId", "state", "paymentId", "bankStatus", "reason", "bundleId", "scaLink"};
    private static final String AS_OF = "pisReportAsOf";
    private static final String FINAL = "pisReportFinal";
    private static final String OF_FILE = "pisReportOf";

    private final BatchFileStore files;
    private final char delimiter;
    private final String publicUrl;
    private final Clock clock;
    private final ProgressLog progress;

    public FileReports(BatchFileStore files, char delimiter, String publicUrl, Clock clock) {
        this.files = files;
        this.delimiter = delimiter;
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.progress = new ProgressLog(1, clock);
    }

    /**
     * A cell as a spreadsheet opens it harmlessly: text the ERP or the bank chose that begins with
     * {@code = + - @}, a tab or a carriage return would run as a formula, so it gets a leading
     * single quote (OWASP's advice for CSV injection; every cell is also quoted).
     */
    static String cell(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    public List<String> due() {
        return files.reportsDue();
    }

    /**
     * The report of the file named by the body, as the body; its name in CamelFileName: a pain.002
     * ({@code <file>.pain.002.xml}) for a pain.001, {@code <file>.status.csv} for a CSV file.
     * {@code progressSeconds} is pis.files.progress-log-seconds.
     */
    public void write(Exchange exchange, int progressSeconds) throws IOException {
        String fileName = exchange.getMessage().getBody(String.class);
        Instant asOf = clock.instant();
        List<BatchFileStore.ReportRow> rows = files.report(fileName);
        long finals = rows.stream().filter(r -> OrderState.valueOf(r.state()).isFinal()).count();
        Optional<BatchFileStore.PainFile> pain = files.painFile(fileName);
        String report = pain.isPresent()
                ? Pain002Report.document(pain.get(), files.paymentInfos(fileName), files.painTransactions(fileName), rows, asOf)
                : csv(rows);
        boolean last = finals == rows.size();
        logProgress(fileName, finals, rows.size(), Duration.ofSeconds(progressSeconds));
        exchange.setVariable(AS_OF, asOf);
        exchange.setVariable(FINAL, last);
        exchange.setVariable(OF_FILE, fileName);
        exchange.getMessage().setHeader(Exchange.FILE_NAME, fileName + (pain.isPresent() ? ".pain.002.xml" : ".status.csv"));
        exchange.getMessage().setBody(report);
    }

    private String csv(List<BatchFileStore.ReportRow> rows) throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader(COLUMNS)
                .setRecordSeparator("\r\n").setQuoteMode(QuoteMode.ALL_NON_NULL).get())) {
            for (BatchFileStore.ReportRow r : rows) {
                boolean awaitingSca = BundleState.AWAITING_SCA.name().equals(r.bundleState());
                csv.printRecord(r.line(), cell(r.orderId()), r.state(), cell(r.paymentId()), cell(r.bankStatus()),
                        cell(r.reason()), r.bundleId(), awaitingSca ? publicUrl + "/sca/" + r.bundleId() : null);
            }
        }
        return out.toString();
    }

    private void logProgress(String fileName, long finals, long lines, Duration every) {
        if (finals == lines) {
            progress.done(fileName);
            LOG.info("File {}: all {} lines final; final report written", fileName, lines);
        } else if (progress.due(fileName, finals, lines, every)) {
            LOG.info("File {}: {} of {} lines final", fileName, finals, lines);
        }
    }

    public void written(Exchange exchange) {
        String fileName = exchange.getVariable(OF_FILE, String.class);
        files.reported(fileName, exchange.getVariable(AS_OF, Instant.class), exchange.getVariable(FINAL, Boolean.class));
    }
}
