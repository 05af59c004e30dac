package org.pisbridge.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator's console and the metrics read: batches and their progress, bundles waiting
 * for SCA, one order, the orders that ended without being paid, and the store's figures. Read
 * only; no token column is ever selected. Columns are read by position: H2 and PostgreSQL spell
 * result keys differently.
 */
public final class ConsoleQueries {
    /** States in which an order ended without being paid, or was never taken. */
    public static final List<String> PROBLEM_STATES = List.of("FAILED", "EXPIRED", "REJECTED", "SCA_REJECTED",
            "CANCELLED", "REJECTED_INPUT", "DUPLICATE");
    private static final List<String> FINAL_STATES = java.util.Arrays.stream(org.pisbridge.orders.OrderState.values())
            .filter(org.pisbridge.orders.OrderState::isFinal).map(Enum::name).toList();
    /** A batch is a file, an ERP batchId, or (empty) the orders bundled per payer without one. */
    private static final String BATCH = "coalesce(source_file, batch_id, '')";

    private final Transactions tx;

    public ConsoleQueries(Transactions tx) {
        this.tx = tx;
    }

    /** One batch: its orders per state, how many are final, and when any of them last changed. */
    public record Batch(String name, Map<String, Integer> byState, int total, int done, Instant lastChange) {
    }

    public record WaitingBundle(String bundleId, String authorizationId, String payerIban, int count, BigDecimal total,
                                Instant deadline, Instant waitingSince) {
    }

    public record Order(String orderId, String batch, String bundleId, String payerIban, String payeeIban, String payeeName,
                        BigDecimal amount, String state, String bankStatus, String reason, String paymentId,
                        String authorizationId, Instant createdAt, Instant updatedAt) {
        /** Whether it ended unpaid in a state it may start again from, under its orderId. */
        public boolean resubmittable() {
            return Reinitiation.RESUBMITTABLE.contains(state);
        }
    }

    /** A line of a batch file that became no order: bad input, or an orderId seen before. */
    public record RejectedLine(String fileName, int lineNo, String orderId, String state, String reason) {
    }

    /** A batch file: lines read, accepted and rejected, and its state (READING, READ, FINAL). */
    public record FileProgress(String fileName, String state, int linesRead, int accepted, int rejected, int done) {
    }

    /** The most recently changed batches first. */
    public List<Batch> batches(int limit) {
        return tx.inTransaction(c -> {
            Map<String, Batch> batches = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select " + BATCH + ", state, count(*), max(updated_at)"
                    + " from " + OrderRecords.ORDERS + " group by " + BATCH + ", state");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    Batch b = batches.getOrDefault(name, new Batch(name, new LinkedHashMap<>(), 0, 0, Instant.EPOCH));
                    int n = rs.getInt(3);
                    b.byState().put(rs.getString(2), n);
                    Instant changed = rs.getTimestamp(4).toInstant();
                    batches.put(name, new Batch(name, b.byState(), b.total() + n,
                            b.done() + (FINAL_STATES.contains(rs.getString(2)) ? n : 0),
                            changed.isAfter(b.lastChange()) ? changed : b.lastChange()));
                }
            }
            return batches.values().stream().sorted((a, b) -> b.lastChange().compareTo(a.lastChange())).limit(limit).toList();
        });
    }

    /** The orders of one batch ({@link Batch#name()}), in their input order. */
    public List<Order> batchOrders(String batch, int limit) {
        return tx.inTransaction(c -> orders(c, "where " + BATCH + " = ? order by source_line, created_at, order_id", limit, batch));
    }

    public Optional<Order> order(String orderId) {
        return tx.inTransaction(c -> orders(c, "where order_id = ?", 1, orderId).stream().findFirst());
    }

    /** Orders that ended without being paid, the latest first. */
    public List<Order> problems(int limit) {
        String states = String.join(", ", PROBLEM_STATES.stream().map(s -> "'" + s + "'").toList());
        return tx.inTransaction(c -> orders(c, "where state in (" + states + ") order by updated_at desc", limit));
    }

    public List<RejectedLine> rejectedLines(int limit) {
        return tx.inTransaction(c -> {
            List<RejectedLine> lines = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select file_name, line_no, order_id, state, reason from ingest_line"
                    + " order by file_name, line_no")) {
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.add(new RejectedLine(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return lines;
        });
    }

    /** Bundles waiting for SCA, the nearest deadline first. */
    public List<WaitingBundle> waitingBundles() {
        return tx.inTransaction(c -> waiting(c, ""));
    }

    public Optional<WaitingBundle> waitingBundle(String bundleId) {
        return tx.inTransaction(c -> waiting(c, " and b.bundle_id = ?", bundleId).stream().findFirst());
    }

    public List<FileProgress> files(int limit) {
        return tx.inTransaction(c -> {
            List<FileProgress> files = new ArrayList<>();
            String done = String.join(", ", FINAL_STATES.stream().map(s -> "'" + s + "'").toList());
            try (PreparedStatement ps = c.prepareStatement("select f.file_name, f.state, f.lines_read, f.accepted, f.rejected,"
                    + " (select count(*) from " + OrderRecords.ORDERS + " where o.source_file = f.file_name and p.state in (" + done + "))"
                    + " from ingest_file f order by f.changed_at desc")) {
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        files.add(new FileProgress(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                                rs.getInt(6)));
                    }
                }
            }
            return files;
        });
    }

    /** The store's figures for the metrics, read together. */
    public record Figures(Map<String, Long> ordersByState, long bundlesWaiting, Instant oldestWaitSince, long outboxBacklog,
                          long signatureFailures) {
    }

    public Figures figures() {
        return tx.inTransaction(c -> {
            Map<String, Long> byState = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select state, count(*) from order_progress group by state");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(rs.getString(1), rs.getLong(2));
                }
            }
            Instant oldest = null;
            long waiting;
            try (PreparedStatement ps = c.prepareStatement("select count(*), min(updated_at) from bundle"
                    + " where state = 'AWAITING_SCA' and withdraw_as is null");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                waiting = rs.getLong(1);
                Timestamp since = rs.getTimestamp(2);
                oldest = since == null ? null : since.toInstant();
            }
            return new Figures(byState, waiting, oldest, count(c, "select count(*) from status_outbox"),
                    // the payment engine records a signature it could not verify, or the bank refused, in the order's reason
                    count(c, "select count(*) from order_progress where lower(reason) like '%signature%'"));
        });
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<WaitingBundle> waiting(Connection c, String and, String... params) throws SQLException {
        List<WaitingBundle> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select b.bundle_id, b.authorization_id, b.payer_iban, count(o.order_id),"
                + " sum(o.amount_eur), b.sca_deadline, min(p.updated_at) from bundle b join order_progress p"
                + " on p.bundle_id = b.bundle_id and p.state = 'AWAITING_SCA' join payment_order o on o.order_seq = p.order_seq"
                + " where b.state = 'AWAITING_SCA' and b.withdraw_as is null" + and
                + " group by b.bundle_id, b.authorization_id, b.payer_iban, b.sca_deadline order by b.sca_deadline")) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new WaitingBundle(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getBigDecimal(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))));
                }
            }
        }
        return list;
    }

    private static List<Order> orders(Connection c, String where, int limit, String... params) throws SQLException {
        List<Order> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select order_id, " + BATCH + ", bundle_id, payer_iban, payee_iban,"
                + " payee_name, amount_eur, state, bank_status, reason, payment_id, authorization_id, created_at, updated_at"
                + " from " + OrderRecords.ORDERS + " " + where)) {
            ps.setMaxRows(limit);
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Order(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getBigDecimal(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), rs.getString(12), instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14))));
                }
            }
        }
        return list;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
