package org.pisbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pisbridge.orders.OrderState;
import org.pisbridge.orders.StatusEvent;

/**
 * The ERP batch files: which names were ingested, where a file cut off by a crash resumes, the
 * lines that became no order, and what each file's status report holds.
 */
public final class BatchFileStore {
    /** How a file's ingestion starts: new, resumed after its last stored line, or refused as seen before. */
    public enum Start { NEW, RESUMED, ALREADY_INGESTED }

    public record Begun(Start start, int lastStoredLine) {
    }

    /** One row of a status report: an input line and what became of it. */
    public record ReportRow(int line, String orderId, String state, String paymentId, String bankStatus, String reason,
                            String bundleId, String bundleState) {
    }

    /** A pain.001 file's group header, as its pain.002 refers back to it. */
    public record PainFile(String msgId, String version, String creDtTm, int nbOfTxs, String ctrlSum) {
    }

    /** One transaction of a pain.001 file: its place, its references, and the ISO reason code of a refusal at intake. */
    public record PainTransaction(int line, int pmtInfNo, String instrId, String endToEndId, String reasonCode) {
    }

    private final Transactions tx;
    private final StatusOutbox outbox = new StatusOutbox();
    private final Clock clock;

    public BatchFileStore(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    public Begun begin(String fileName) {
        return tx.inTransaction(c -> {
            List<String> state = Sql.strings(c, "select state from ingest_file where file_name = ? for update", fileName);
            if (state.isEmpty()) {
                Timestamp now = Timestamp.from(clock.instant());
                Sql.update(c, "insert into ingest_file (file_name, state, changed_at, created_at) values (?, 'READING', ?, ?)",
                        fileName, now, now);
                return new Begun(Start.NEW, 0);
            }
            if (!state.get(0).equals("READING")) {
                return new Begun(Start.ALREADY_INGESTED, 0);
            }
            // lines are stored one by one in file order, so every line up to the last stored one is in
            String last = Sql.strings(c, "select max(n) from (select max(source_line) n from payment_order where source_file = ?"
                    + " union all select max(line_no) n from ingest_line where file_name = ?) t", fileName, fileName).get(0);
            return new Begun(Start.RESUMED, last == null ? 0 : Integer.parseInt(last));
        });
    }

    /** A line that is no valid order: kept for the report, with its REJECTED_INPUT event. */
    public void lineRejected(String fileName, int line, String orderId, String reason) {
        tx.inTransaction(c -> {
            insertLine(c, fileName, line, orderId, OrderState.REJECTED_INPUT, reason);
            outbox.record(c, new StatusEvent(orderId, null, null, OrderState.REJECTED_INPUT, null, reason, clock.instant()));
            return null;
        });
    }

    /** A line whose orderId was received before (its DUPLICATE event is recorded by the order store). */
    public void lineDuplicate(String fileName, int line, String orderId, String reason) {
        tx.inTransaction(c -> {
            insertLine(c, fileName, line, orderId, OrderState.DUPLICATE, reason);
            return null;
        });
    }

    private static void insertLine(java.sql.Connection c, String fileName, int line, String orderId, OrderState state,
                                   String reason) throws java.sql.SQLException {
        Sql.update(c, "insert into ingest_line (file_name, line_no, order_id, state, reason) values (?, ?, ?, ?, ?)",
                fileName, line, Sql.nullable(orderId), state.name(), Sql.nullable(reason));
    }

    /** Every line of the file is stored: its report is due. */
    public void read(String fileName, int lines, int accepted, int rejected) {
        tx.inTransaction(c -> Sql.update(c, "update ingest_file set state = 'READ', lines_read = ?, accepted = ?,"
                + " rejected = ?, changed_at = ? where file_name = ? and state = 'READING'",
                lines, accepted, rejected, Timestamp.from(clock.instant()), fileName));
    }

    /** Files read to their end whose orders changed since their report was last written. */
    public List<String> reportsDue() {
        return tx.inTransaction(c -> Sql.strings(c, "select f.file_name from ingest_file f where f.state = 'READ' and"
                + " (f.reported_at is null or f.changed_at > f.reported_at or exists (select 1 from payment_order o"
                + "  join order_progress p on p.order_seq = o.order_seq where o.source_file = f.file_name"
                + "  and p.updated_at > f.reported_at)) order by f.created_at"));
    }

    /** The rows of a file's report, by line. */
    public List<ReportRow> report(String fileName) {
        return tx.inTransaction(c -> {
            List<ReportRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select o.source_line, o.order_id, p.state, p.payment_id,"
                    + " p.bank_status, p.reason, p.bundle_id, b.state from " + OrderRecords.ORDERS
                    + " join bundle b on b.bundle_id = p.bundle_id where o.source_file = ?"
                    + " union all select l.line_no, l.order_id, l.state, null, null, l.reason, null, null from ingest_line l"
                    + " where l.file_name = ? order by 1")) {
                Sql.bind(ps, fileName, fileName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new ReportRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                    }
                }
            }
            return rows;
        });
    }

    /** The report as of {@code asOf} is written; a final one ends the file's reporting. */
    public void reported(String fileName, Instant asOf, boolean last) {
        tx.inTransaction(c -> Sql.update(c, "update ingest_file set reported_at = ?, state = ? where file_name = ?",
                Timestamp.from(asOf), last ? "FINAL" : "READ", fileName));
    }

    /** The file that was ingested with this pain.001 MsgId, if any. */
    public Optional<String> fileOfMsgId(String msgId) {
        return tx.inTransaction(c -> Sql.strings(c, "select file_name from pain_file where msg_id = ?", msgId))
                .stream().findFirst();
    }

    /**
     * A pain.001 file begun (or resumed: its references are written again as it is read again, so
     * none is missing or doubled whatever the last run stored).
     */
    public void painBegun(String fileName, PainFile header) {
        tx.inTransaction(c -> {
            Sql.update(c, "delete from pain_transaction where file_name = ?", fileName);
            Sql.update(c, "delete from pain_payment_info where file_name = ?", fileName);
            if (Sql.strings(c, "select file_name from pain_file where file_name = ?", fileName).isEmpty()) {
                Sql.update(c, "insert into pain_file (file_name, msg_id, version, cre_dt_tm, nb_of_txs, ctrl_sum)"
                        + " values (?, ?, ?, ?, ?, ?)", fileName, header.msgId(), header.version(), header.creDtTm(),
                        header.nbOfTxs(), Sql.nullable(header.ctrlSum()));
            }
            return null;
        });
    }

    /** The references of a payment information block and of its transactions read so far, in one batch. */
    public void painRead(String fileName, Integer pmtInfNo, String pmtInfId, List<PainTransaction> transactions) {
        tx.inTransaction(c -> {
            if (pmtInfNo != null) {
                Sql.update(c, "insert into pain_payment_info (file_name, pmt_inf_no, pmt_inf_id) values (?, ?, ?)",
                        fileName, pmtInfNo, pmtInfId);
            }
            try (PreparedStatement ps = c.prepareStatement("insert into pain_transaction (file_name, line_no, pmt_inf_no,"
                    + " instr_id, end_to_end_id, reason_code) values (?, ?, ?, ?, ?, ?)")) {
                for (PainTransaction t : transactions) {
                    Sql.bind(ps, fileName, t.line(), t.pmtInfNo(), Sql.nullable(t.instrId()), t.endToEndId(),
                            Sql.nullable(t.reasonCode()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The group header of a pain.001 file; empty for a CSV file. */
    public Optional<PainFile> painFile(String fileName) {
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("select msg_id, version, cre_dt_tm, nb_of_txs, ctrl_sum"
                    + " from pain_file where file_name = ?")) {
                Sql.bind(ps, fileName);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new PainFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getString(5))) : Optional.empty();
                }
            }
        });
    }

    /** The PmtInfId of each payment information block of a pain.001 file, by its number. */
    public Map<Integer, String> paymentInfos(String fileName) {
        return tx.inTransaction(c -> {
            Map<Integer, String> infos = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("select pmt_inf_no, pmt_inf_id from pain_payment_info"
                    + " where file_name = ?")) {
                Sql.bind(ps, fileName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        infos.put(rs.getInt(1), rs.getString(2));
                    }
                }
            }
            return infos;
        });
    }

    /** The transactions of a pain.001 file, by line. */
    public Map<Integer, PainTransaction> painTransactions(String fileName) {
        return tx.inTransaction(c -> {
            Map<Integer, PainTransaction> transactions = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select line_no, pmt_inf_no, instr_id, end_to_end_id, reason_code"
                    + " from pain_transaction where file_name = ?")) {
                Sql.bind(ps, fileName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        transactions.put(rs.getInt(1), new PainTransaction(rs.getInt(1), rs.getInt(2), rs.getString(3),
                                rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return transactions;
        });
    }
}
