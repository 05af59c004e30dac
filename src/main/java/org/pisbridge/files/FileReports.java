package org.pisbridge.files;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
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

    private final BatchFileStore files;
    private final char delimiter;
    private final String publicUrl;
    private final Clock clock;

    public FileReports(BatchFileStore files, char delimiter, String publicUrl, Clock clock) {
        this.files = files;
        this.delimiter = delimiter;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    public List<String> due() {
        return files.reportsDue();
    }

    /** The report of the file named by the body, as the body; its name in CamelFileName. */
    public void write(Exchange exchange) throws IOException {
        String fileName = exchange.getMessage().getBody(String.class);
        Instant asOf = clock.instant();
        List<BatchFileStore.ReportRow> rows = files.report(fileName);
        StringWriter out = new StringWriter();
        long finals = 0;
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader(COLUMNS)
                .setRecordSeparator("\r\n").get())) {
            for (BatchFileStore.ReportRow r : rows) {
                boolean awaitingSca = BundleState.AWAITING_SCA.name().equals(r.bundleState());
                csv.printRecord(r.line(), r.orderId(), r.state(), r.paymentId(), r.bankStatus(), r.reason(), r.bundleId(),
                        awaitingSca ? publicUrl + "/sca/" + r.bundleId() : null);
                if (OrderState.valueOf(r.state()).isFinal()) {
                    finals++;
                }
            }
        }
        boolean last = finals == rows.size();
        LOG.info("File {}: {} of {} lines final{}", fileName, finals, rows.size(), last ? "; final report written" : "");
        exchange.setVariable(AS_OF, asOf);
        exchange.setVariable(FINAL, last);
        exchange.getMessage().setHeader(Exchange.FILE_NAME, fileName + ".status.csv");
        exchange.getMessage().setBody(out.toString());
    }

    public void written(Exchange exchange) {
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class).replaceFirst("\\.status\\.csv$", "");
        files.reported(fileName, exchange.getVariable(AS_OF, Instant.class), exchange.getVariable(FINAL, Boolean.class));
    }
}
