package org.pisbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.pisbridge.orders.OrderState;
import org.pisbridge.orders.PaymentOrder;
import org.pisbridge.orders.StatusEvent;

/**
 * Intake's view of the store: a valid order is stored in the same transaction as its place in
 * an open bundle (or its reservation in the exemption flow) and its RECEIVED event; bundles close
 * by count, quiet period or window, and a file's bundles when the file has been read to its end.
 */
public final class OrderStore {
    /** Orders a closing bundle moves to BUNDLED per transaction. */
    private static final int CLOSE_CHUNK = 5000;

    /**
     * What became of an order handed to {@link #accept}: stored; the same order again (a
     * redelivered message, an ERP's re-send: acknowledged, nothing new); or another order under an
     * orderId taken before (refused, with the fields that differ).
     */
    public enum Accepted { STORED, REPEATED, DUPLICATE }

    private final Transactions tx;
    private final StatusOutbox outbox = new StatusOutbox();
    private final Clock clock;
    private final ExemptionRules exemption;

    public OrderStore(Transactions tx, Clock clock, ExemptionRules exemption) {
        this.tx = tx;
        this.clock = clock;
        this.exemption = exemption;
    }

    public Accepted accept(PaymentOrder o, String source, String sourceFile, Integer sourceLine) {
        return joiningOpenedBundle(() -> tx.inTransaction(c -> acceptIn(c, o, source, sourceFile, sourceLine, clock.instant())));
    }

    /** Input refused before it became an order: the orderId it named (or the message's id) and why. */
    public record Rejection(String orderId, String reason) {
    }

    /**
     * Stores messages' orders as {@link #accept} does each, and records the rejections, all in one
     * transaction (intake commits a batch of messages at once, not one per message); the orders'
     * outcomes in their order.
     */
    public List<Accepted> acceptMessages(List<PaymentOrder> received, List<Rejection> rejections, String source) {
        return joiningOpenedBundle(() -> tx.inTransaction(c -> {
            Instant now = clock.instant();
            for (Rejection r : rejections) {
                rejectIn(c, r, now);
            }
            // the open bundles are locked in one order by every intake, so two batches never wait on each other in a circle
            String[] keys = received.stream().map(o -> openKey(batchKey(o, null), o.payerIban())).toArray(String[]::new);
            Integer[] byBundle = java.util.stream.IntStream.range(0, received.size()).boxed()
                    .sorted(java.util.Comparator.comparing(i -> keys[i])).toArray(Integer[]::new);
            Accepted[] outcomes = new Accepted[received.size()];
            for (int i : byBundle) {
                outcomes[i] = acceptIn(c, received.get(i), source, null, null, now);
            }
            return List.of(outcomes);
        }));
    }

    /** How often storing work runs when other intakes keep opening or holding its bundles. */
    private static final int OPENING_ATTEMPTS = 5;

    /**
     * Runs storing work again when another intake opened one of its bundles a moment ago, or held
     * it too long: the orders join it now, not on a redelivery that could come after the bundle
     * closed. A batch spans several bundles, so with several receivers it may meet more than one.
     */
    private static <T> T joiningOpenedBundle(java.util.function.Supplier<T> storing) {
        for (int attempt = 1; ; attempt++) {
            try {
                return storing.get();
            } catch (BundleContended e) {
                if (attempt == OPENING_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** A competing transaction inserted the open bundle this one was about to open, or held it too long. */
    private static final class BundleContended extends RuntimeException {
        BundleContended(SQLException cause) {
            super(cause);
        }
    }

    /** A line of a batch file, to be stored as an order. */
    public record FileLine(PaymentOrder order, int line) {
    }

    /**
     * Stores lines of one file as {@link #accept} does each, all in one transaction (a file's
     * lines are stored in chunks, not a commit per line); the outcomes in the lines' order.
     */
    public List<Accepted> acceptFileLines(String sourceFile, List<FileLine> lines) {
        return joiningOpenedBundle(() -> acceptFileLinesOnce(sourceFile, lines));
    }

    private List<Accepted> acceptFileLinesOnce(String sourceFile, List<FileLine> lines) {
        return tx.inTransaction(c -> {
            Instant now = clock.instant();
            Set<String> takenBefore = new HashSet<>(Sql.strings(c, "select order_id from payment_order where order_id in ("
                    + String.join(",", Collections.nCopies(lines.size(), "?")) + ")",
                    lines.stream().map(l -> l.order().orderId()).toArray()));
            List<Accepted> outcomes = new ArrayList<>(lines.size());
            NewFileOrders fresh = new NewFileOrders(c, sourceFile, now);
            for (FileLine l : lines) {
                if (takenBefore.contains(l.order().orderId()) || fresh.has(l.order().orderId())) {
                    // an orderId received before (or earlier in this chunk): compared with it one by one, as accept does
                    fresh.insert();
                    outcomes.add(acceptIn(c, l.order(), "FILE", sourceFile, l.line(), now));
                } else {
                    fresh.add(l);
                    outcomes.add(Accepted.STORED);
                }
            }
            fresh.insert();
            return outcomes;
        });
    }

    /**
     * New orders of a file, inserted together: one statement batch for the orders, one for their
     * RECEIVED events, one update of each bundle they join (one per payer, opened once).
     */
    private final class NewFileOrders {
        private final Connection c;
        private final String sourceFile;
        private final Instant now;
        private final Map<String, String> bundleOfPayer = new HashMap<>();
        private final Set<String> orderIds = new HashSet<>();
        private final List<FileLine> pending = new ArrayList<>();

        NewFileOrders(Connection c, String sourceFile, Instant now) {
            this.c = c;
            this.sourceFile = sourceFile;
            this.now = now;
        }

        boolean has(String orderId) {
            return orderIds.contains(orderId);
        }

        void add(FileLine line) {
            orderIds.add(line.order().orderId());
            pending.add(line);
        }

        void insert() throws SQLException {
            if (pending.isEmpty()) {
                return;
            }
            Map<String, String> keys = IdempotencyKeys.giveFirst(c,
                    pending.stream().map(l -> l.order().orderId()).toList(), now);
            try (PreparedStatement orders = c.prepareStatement(INSERT_ORDER);
                 PreparedStatement progress = c.prepareStatement(INSERT_PROGRESS)) {
                for (FileLine l : pending) {
                    PaymentOrder o = l.order();
                    String bundleId = bundleOfPayer.get(o.payerIban());
                    if (bundleId == null) {
                        bundleId = openBundle(c, fileBatchKey(sourceFile), o.batchId(), o.payerIban(), o.batchSize(), now);
                        bundleOfPayer.put(o.payerIban(), bundleId);
                    }
                    bindOrder(orders, o, "FILE", sourceFile, l.line(), now);
                    orders.addBatch();
                    bindProgress(progress, o.orderId(), bundleId, OrderState.BUNDLED, keys.get(o.orderId()), null, now);
                    progress.addBatch();
                }
                orders.executeBatch();
                progress.executeBatch();
            }
            outbox.recordAll(c, pending.stream()
                    .map(l -> new StatusEvent(l.order().orderId(), null, null, OrderState.RECEIVED, null, null, now)).toList());
            for (String bundleId : bundleOfPayer.values()) {
                joined(c, bundleId, now);
            }
            pending.clear();
        }
    }

    private Accepted acceptIn(Connection c, PaymentOrder o, String source, String sourceFile, Integer sourceLine, Instant now)
            throws SQLException {
        Optional<List<String>> differences = differencesFromStored(c, o);
        if (differences.isPresent()) {
            if (differences.get().isEmpty()) {
                return Accepted.REPEATED;
            }
            outbox.record(c, new StatusEvent(o.orderId(), null, null, OrderState.DUPLICATE, null,
                    "orderId " + o.orderId() + " was received before with other content (" + String.join(", ", differences.get())
                            + "); this input is not paid", now));
            return Accepted.DUPLICATE;
        }
        // a batch file, or a batch declared with its batchSize, is approved as a whole (one SCA per batch and payer):
        // its orders never take the exemption flow, else the bundle would wait for an order that went elsewhere
        Optional<ExemptionRules.Reservation> exempt = sourceFile != null || o.batchSize() != null ? Optional.empty()
                : exemption.reserve(c, o, now);
        String batchKey = batchKey(o, sourceFile);
        String bundleId = exempt.isPresent() ? null
                : openBundle(c, batchKey, o.batchId(), o.payerIban(), o.batchSize(), now);
        Instant countedAgainst = exempt.map(ExemptionRules.Reservation::countedAgainst).orElse(null);
        String key = IdempotencyKeys.give(c, o.orderId(), o.orderId(), now);
        try (PreparedStatement orders = c.prepareStatement(INSERT_ORDER);
             PreparedStatement progress = c.prepareStatement(INSERT_PROGRESS)) {
            bindOrder(orders, o, source, sourceFile, sourceLine, now);
            orders.executeUpdate();
            bindProgress(progress, o.orderId(), bundleId, exempt.isPresent() ? OrderState.EXEMPTION
                    : sourceFile != null ? OrderState.BUNDLED : OrderState.RECEIVED, key, countedAgainst, now);
            progress.executeUpdate();
        }
        outbox.record(c, new StatusEvent(o.orderId(), null, null, OrderState.RECEIVED, null, null, now));
        if (bundleId != null) {
            joined(c, bundleId, now);
        } else {
            outbox.record(c, new StatusEvent(o.orderId(), null, null, OrderState.EXEMPTION, null,
                    countedAgainst == null ? "transfer between the customer's own accounts: no new SCA"
                            : "small payment: no new SCA", now));
        }
        return Accepted.STORED;
    }

    /** An order as received: written once, never changed (its number, order_seq, is given in arrival order). */
    private static final String INSERT_ORDER = "insert into payment_order (order_id, batch_id, source, source_file,"
            + " source_line, payer_iban, payee_iban, payee_name, amount_eur, message, reference, sca_always,"
            + " customer_ip_address, customer_user_agent, customer_last_logged_at, created_at)"
            + " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    /** Where a new order is: what the stages change from now on, under its order's number. */
    private static final String INSERT_PROGRESS = "insert into order_progress (order_seq, bundle_id, state, idempotency_key,"
            + " exemption_counted_at, updated_at) values ((select order_seq from payment_order where order_id = ?), ?, ?, ?, ?, ?)";

    private static void bindOrder(PreparedStatement ps, PaymentOrder o, String source, String sourceFile, Integer sourceLine,
                                  Instant now) throws SQLException {
        Sql.bind(ps, o.orderId(), Sql.nullable(o.batchId()), source, Sql.nullable(sourceFile),
                sourceLine == null ? Sql.nullable(null) : sourceLine, o.payerIban(), o.payeeIban(), o.payeeName(),
                o.amountEur(), Sql.nullable(o.message()), Sql.nullable(o.reference()), o.scaAlways(),
                Sql.nullable(o.customerIpAddress()), Sql.nullable(o.customerUserAgent()),
                o.customerLastLoggedAt() == null ? Sql.nullable(null) : Timestamp.from(o.customerLastLoggedAt()),
                Timestamp.from(now));
    }

    private static void bindProgress(PreparedStatement ps, String orderId, String bundleId, OrderState state,
                                     String idempotencyKey, Instant countedAgainst, Instant now) throws SQLException {
        Sql.bind(ps, orderId, Sql.nullable(bundleId), state.name(), idempotencyKey,
                countedAgainst == null ? Sql.nullable(null) : Timestamp.from(countedAgainst), Timestamp.from(now));
    }

    /**
     * The fields in which {@code o} differs from the order stored under its orderId; empty when it
     * is the same order; no value when the orderId is new.
     */
    private static Optional<List<String>> differencesFromStored(Connection c, PaymentOrder o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select batch_id, payer_iban, payee_iban, payee_name, amount_eur,"
                + " message, reference from payment_order where order_id = ?")) {
            ps.setString(1, o.orderId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<String> differ = new java.util.ArrayList<>();
                if (!java.util.Objects.equals(rs.getString(1), o.batchId())) {
                    differ.add("batchId");
                }
                if (!rs.getString(2).equals(o.payerIban())) {
                    differ.add("payer.iban");
                }
                if (!rs.getString(3).equals(o.payeeIban())) {
                    differ.add("payee.iban");
                }
                if (!rs.getString(4).equals(o.payeeName())) {
                    differ.add("payee.name");
                }
                if (rs.getBigDecimal(5).compareTo(o.amountEur()) != 0) {
                    differ.add("amountEUR");
                }
                if (!java.util.Objects.equals(rs.getString(6), o.message())) {
                    differ.add("message");
                }
                if (!java.util.Objects.equals(rs.getString(7), o.reference())) {
                    differ.add("reference");
                }
                return Optional.of(differ);
            }
        }
    }

    /**
     * The exemption flow could not pay the order: its reservation is released and it joins the
     * payer's window bundle for the default flow (SCA), under a new idempotency key so the bank
     * creates a new payment rather than answering with the exemption one. False when the order
     * was not waiting in {@code from} without a bundle (already moved on).
     */
    public boolean fallBackToSca(String orderId, OrderState from, String reason) {
        return tx.inTransaction(c -> {
            Instant now = clock.instant();
            List<PaymentOrderRow> waiting = OrderRecords.lockedOrders(c, List.of(orderId));
            if (waiting.isEmpty() || waiting.get(0).state() != from || waiting.get(0).bundleId() != null) {
                return false;
            }
            PaymentOrderRow o = waiting.get(0);
            Timestamp countedAgainst = Sql.timestamp(c, "select exemption_counted_at from order_progress where order_seq = ?",
                    o.orderSeq());
            if (countedAgainst != null) {
                exemption.release(c, o.payerIban(), o.amountEur(), countedAgainst.toInstant(), now);
            }
            String bundleId = openBundle(c, "window:" + o.payerIban(), null, o.payerIban(), null, now);
            String why = "exemption flow not possible, SCA needed: " + reason;
            String key = IdempotencyKeys.give(c, orderId, orderId + "#sca", now);
            Sql.update(c, "update order_progress set bundle_id = ?, state = 'RECEIVED', idempotency_key = ?, payment_id = null,"
                    + " authorization_id = null, exemption_counted_at = null, access_token = null, reason = ?, updated_at = ?"
                    + " where order_seq = ?", bundleId, key, why, Timestamp.from(now), o.orderSeq());
            joined(c, bundleId, now);
            outbox.record(c, new StatusEvent(orderId, null, null, OrderState.RECEIVED, null, why, now));
            return true;
        });
    }

    /** What groups a file's orders: one bundle per file and payer, closed when the file is read to its end. */
    public static String fileBatchKey(String fileName) {
        return "file:" + fileName;
    }

    /** The bundles of a batch key not closed yet, e.g. those of a file read to its end. */
    public List<String> openBundles(String batchKey) {
        return tx.inTransaction(c -> Sql.strings(c, "select bundle_id from bundle where batch_key = ? and state in ('OPEN', 'CLOSING')"
                + " order by created_at", batchKey));
    }

    /** Records a REJECTED_INPUT event for input that never became an order. */
    private void rejectIn(Connection c, Rejection r, Instant now) throws SQLException {
        outbox.record(c, new StatusEvent(r.orderId(), null, null, OrderState.REJECTED_INPUT, null, r.reason(), now));
    }

    /**
     * Open bundles due to close: all {@code batchSize} orders of the batch arrived (whatever their
     * payers, counted in the batch's open bundles only, so a batchId can be used again by a later
     * batch); a batch without batchSize quiet for {@code quietPeriod}, a declared one (batchSize
     * given, not all arrived) for {@code declaredMaxWait}; or the per-payer window over. Bundles
     * whose closing a stop interrupted are due too.
     */
    public List<String> bundlesDueToClose(Duration quietPeriod, Duration declaredMaxWait, Duration window) {
        return tx.inTransaction(c -> {
            Instant now = clock.instant();
            return Sql.strings(c, "select b.bundle_id from bundle b where b.state = 'CLOSING' or (b.state = 'OPEN' and ("
                    + " (b.expected_count is not null and (select count(*) from order_progress o join bundle ob"
                    + "   on ob.bundle_id = o.bundle_id where ob.batch_id = b.batch_id and ob.state = 'OPEN')"
                    + "   >= b.expected_count)"
                    + " or (b.batch_key like 'batch:%' and b.expected_count is null and b.last_order_at < ?)"
                    + " or (b.batch_key like 'batch:%' and b.expected_count is not null and b.last_order_at < ?)"
                    + " or (b.batch_key like 'window:%' and b.created_at < ?))) order by b.created_at",
                    Timestamp.from(now.minus(quietPeriod)), Timestamp.from(now.minus(declaredMaxWait)),
                    Timestamp.from(now.minus(window)));
        });
    }

    /**
     * Closes a bundle: first it takes no more orders (CLOSING), then its orders become BUNDLED, one
     * event each, {@value #CLOSE_CHUNK} orders per transaction, then it is CLOSED. A file's lines
     * are stored BUNDLED already (their bundle is fixed: file and payer), so closing a file's bundle,
     * which may hold hundreds of thousands, only reports them, in order_seq order, keeping how far
     * it got on the bundle. A closing that a stop interrupted goes on where it was; closing a bundle
     * already closed changes nothing and returns false.
     */
    public boolean close(String bundleId) {
        List<String> closing = tx.inTransaction(c -> {
            Sql.update(c, "update bundle set state = 'CLOSING', open_key = null, updated_at = ? where bundle_id = ?"
                    + " and state = 'OPEN'", Timestamp.from(clock.instant()), bundleId);
            return Sql.strings(c, "select batch_key from bundle where bundle_id = ? and state = 'CLOSING'", bundleId);
        });
        if (closing.isEmpty()) {
            return false;
        }
        boolean fileBundle = closing.get(0).startsWith(fileBatchKey(""));
        // no order joins a bundle no longer OPEN: each chunk moves some of the orders it had, until none is left
        // (a file's bundle has none, unless its first lines were stored before its lines were stored BUNDLED)
        int moved;
        do {
            moved = tx.inTransaction(c -> bundleChunk(c, bundleId, !fileBundle));
        } while (moved > 0);
        int reported = fileBundle ? 1 : 0;
        while (reported > 0) {
            reported = tx.inTransaction(c -> reportChunk(c, bundleId));
        }
        return tx.inTransaction(c -> Sql.update(c, "update bundle set state = 'CLOSED', updated_at = ? where bundle_id = ?"
                + " and state = 'CLOSING'", Timestamp.from(clock.instant()), bundleId)) > 0;
    }

    /** Moves up to a chunk of the bundle's RECEIVED orders to BUNDLED, with their events if {@code report}; returns how many. */
    private int bundleChunk(Connection c, String bundleId, boolean report) throws SQLException {
        if (!lockClosing(c, bundleId)) {
            return 0;
        }
        Instant now = clock.instant();
        // no order by: a sort would read every order left before the first chunk could be taken
        List<Numbered> orders = numbered(c, "bundle_id = ? and state = 'RECEIVED' fetch first " + CLOSE_CHUNK + " rows only",
                bundleId);
        try (PreparedStatement ps = c.prepareStatement("update order_progress set state = 'BUNDLED', updated_at = ?"
                + " where order_seq = ? and state = 'RECEIVED'")) {
            for (Numbered o : orders) {
                Sql.bind(ps, Timestamp.from(now), o.orderSeq());
                ps.addBatch();
            }
            if (!orders.isEmpty()) {
                ps.executeBatch();
            }
        }
        if (report) {
            recordBundled(c, orders, now);
        }
        return orders.size();
    }

    /** Reports up to a chunk of a closing file bundle's orders BUNDLED, after the last reported; returns how many. */
    private int reportChunk(Connection c, String bundleId) throws SQLException {
        if (!lockClosing(c, bundleId)) {
            return 0;
        }
        List<String> cursor = Sql.strings(c, "select reported_seq from bundle where bundle_id = ?", bundleId);
        Instant now = clock.instant();
        // ordered by the index's own columns: H2 reads a chunk off order_progress_bundle_state_idx only when
        // the sort names the index's columns from its first; "order by order_seq" alone made it read and sort
        // every order left in the bundle for each chunk (a million-line file's close ran past five minutes)
        List<Numbered> orders = numbered(c, "p.bundle_id = ? and p.state = 'BUNDLED' and p.order_seq > ?"
                + " order by p.bundle_id, p.state, p.order_seq fetch first " + CLOSE_CHUNK + " rows only",
                bundleId, cursor.get(0) == null ? Long.MIN_VALUE : Long.parseLong(cursor.get(0)));
        if (orders.isEmpty()) {
            return 0;
        }
        recordBundled(c, orders, now);
        Sql.update(c, "update bundle set reported_seq = ? where bundle_id = ?", orders.get(orders.size() - 1).orderSeq(), bundleId);
        return orders.size();
    }

    /** An order's id and number, all a closing bundle needs of it. */
    private record Numbered(String orderId, long orderSeq) {
    }

    private static List<Numbered> numbered(Connection c, String where, Object... params) throws SQLException {
        return Sql.rows(c, "select o.order_id, p.order_seq from " + OrderRecords.ORDERS + " where " + where,
                rs -> new Numbered(rs.getString(1), rs.getLong(2)), params);
    }

    private void recordBundled(Connection c, List<Numbered> orders, Instant now) throws SQLException {
        outbox.recordAll(c, orders.stream()
                .map(o -> new StatusEvent(o.orderId(), null, null, OrderState.BUNDLED, null, null, now)).toList());
    }

    /**
     * Locks a closing bundle for one chunk: two closers of one bundle (the file route at the file's
     * end and the close-bundles sweep, or two instances) take turns, each reading what the other
     * committed, so no order is moved or reported twice. False when it is no longer closing.
     */
    private static boolean lockClosing(Connection c, String bundleId) throws SQLException {
        return !Sql.strings(c, "select bundle_id from bundle where bundle_id = ? and state = 'CLOSING' for update", bundleId)
                .isEmpty();
    }

    private static void joined(Connection c, String bundleId, Instant now) throws SQLException {
        Sql.update(c, "update bundle set last_order_at = ?, updated_at = ? where bundle_id = ?",
                Timestamp.from(now), Timestamp.from(now), bundleId);
    }

    private static String batchKey(PaymentOrder o, String sourceFile) {
        return sourceFile != null ? fileBatchKey(sourceFile) : o.batchId() != null ? "batch:" + o.batchId() : "window:" + o.payerIban();
    }

    private static String openKey(String batchKey, String payer) {
        return batchKey + "|" + payer;
    }

    private String openBundle(Connection c, String batchKey, String batchId, String payer, Integer expected, Instant now)
            throws SQLException {
        String openKey = openKey(batchKey, payer);
        try {
            List<String> open = Sql.strings(c, "select bundle_id from bundle where open_key = ? for update", openKey);
            if (!open.isEmpty()) {
                return open.get(0);
            }
            String bundleId = UUID.randomUUID().toString();
            Sql.update(c, "insert into bundle (bundle_id, batch_key, batch_id, payer_iban, state, expected_count, open_key,"
                    + " created_at, updated_at) values (?, ?, ?, ?, 'OPEN', ?, ?, ?, ?)", bundleId, batchKey, Sql.nullable(batchId),
                    payer, expected == null ? Sql.nullable(null) : expected, openKey, Timestamp.from(now), Timestamp.from(now));
            return bundleId;
        } catch (SQLException e) {
            // a competing intake opened this bundle first (unique open_key: 23505 on PostgreSQL and H2), or its
            // batch holds the bundle longer than H2 waits for a lock (HYT00, by default a second)
            if ("23505".equals(e.getSQLState()) || "HYT00".equals(e.getSQLState())) {
                throw new BundleContended(e);
            }
            throw e;
        }
    }
}
