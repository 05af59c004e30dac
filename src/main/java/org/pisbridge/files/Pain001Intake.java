package org.pisbridge.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.pisbridge.orders.InputProblem;
import org.pisbridge.orders.OrderInput;
import org.pisbridge.orders.OrderValidator;
import org.pisbridge.store.BatchFileStore;
import org.pisbridge.store.OrderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests an ISO 20022 pain.001 file: checked whole first (schema, NbOfTxs and CtrlSum, a MsgId
 * taken once), then each CdtTrfTxInf validated and stored as an order, or refused with its path
 * and an ISO reason code; the others go on. Each PmtInf becomes a bundle of its own (one SCA per
 * payment information block): the file's open bundle closes when the next PmtInf begins.
 */
final class Pain001Intake {
    private static final Logger LOG = LoggerFactory.getLogger(Pain001Intake.class);
    private static final int BATCH = 1000;
    /** The validator's field names as paths of a pain.001 transaction, with the ISO reason code of a problem there. */
    private static final Map<String, String[]> FIELDS = Map.of(
            "orderId", new String[] {"PmtId/EndToEndId", "NARR"},
            "payer.iban", new String[] {"DbtrAcct", "AC02"},
            "payee.iban", new String[] {"CdtrAcct", "AC01"},
            "payee.name", new String[] {"Cdtr/Nm", "NARR"},
            "amountEUR", new String[] {"Amt/InstdAmt", "AM12"},
            "message", new String[] {"RmtInf/Ustrd", "NARR"},
            "reference", new String[] {"RmtInf/Strd/CdtrRefInf/Ref", "NARR"});

    private final OrderValidator validator = new OrderValidator();
    private final OrderStore orders;
    private final BatchFileStore files;
    private final ProgressLog progress;
    private final Clock clock;

    Pain001Intake(OrderStore orders, BatchFileStore files, ProgressLog progress, Clock clock) {
        this.orders = orders;
        this.files = files;
        this.progress = progress;
        this.clock = clock;
    }

    /** True when the stream starts (after an optional UTF-8 byte-order mark and blanks) with '<'; the stream is left unread. */
    static boolean isXml(BufferedInputStream in) throws IOException {
        // byte by byte, only as far as the first sign: a stream that breaks later is still read up to there
        in.mark(1024);
        try {
            int b = in.read();
            if (b == 0xEF && in.read() == 0xBB && in.read() == 0xBF) {
                b = in.read();
            }
            for (int i = 0; i < 1000 && b != -1 && Character.isWhitespace(b); i++) {
                b = in.read();
            }
            return b == '<';
        } finally {
            in.reset();
        }
    }

    FileIntake.Progress ingest(String name, Path file, Duration progressEvery) throws IOException {
        long checking = System.nanoTime();
        Pain001Check.Header header = Pain001Check.check(file);
        LOG.info("File {}: {} {} checked whole (schema, {} transactions, totals) in {} ms", name, header.version().pain001,
                header.msgId(), header.nbOfTxs(), (System.nanoTime() - checking) / 1_000_000);
        files.fileOfMsgId(header.msgId()).filter(f -> !f.equals(name)).ifPresent(f -> {
            throw new CsvLayout.UnreadableFile("MsgId " + header.msgId() + " was ingested before (file " + f
                    + "); its payments are not taken again");
        });
        BatchFileStore.Begun begun = FileIntake.begin(files, name);
        files.painBegun(name, new BatchFileStore.PainFile(header.msgId(), header.version().pain001, header.creDtTm(),
                header.nbOfTxs(), header.ctrlSum() == null ? null : header.ctrlSum().toPlainString()));
        int accepted = 0;
        int rejected = 0;
        int duplicates = 0;
        int bundles = 0;
        int lines = 0;
        List<BatchFileStore.PainTransaction> read = new ArrayList<>();
        PendingLines pending = new PendingLines(orders, name);
        Pain001Reader.PaymentInfo newInfo = null;
        try (Pain001Reader reader = new Pain001Reader(file)) {
            for (Pain001Reader.Transaction t = reader.next(); t != null; t = reader.next()) {
                lines = t.line();
                boolean stored = t.line() <= begun.lastStoredLine();
                if (t.number() == 1) {
                    flush(name, newInfo, read, pending);
                    newInfo = t.info();
                    if (!stored) {
                        // one bundle per PmtInf: the previous block's bundle is complete
                        bundles += FileIntake.closeBundles(orders, name);
                    }
                }
                Outcome outcome = take(name, header.msgId(), t, stored, read, pending);
                if (!stored) {
                    switch (outcome) {
                        case STORED -> accepted++;
                        case REJECTED -> rejected++;
                    }
                }
                if (pending.full() || read.size() >= BATCH) {
                    flush(name, newInfo, read, pending);
                    newInfo = null;
                }
                if (progress.due(name, t.line(), header.nbOfTxs(), progressEvery)) {
                    LOG.info("File {}: {} of {} transactions read, {} accepted, {} rejected, {} duplicates", name, t.line(),
                            header.nbOfTxs(), accepted - pending.duplicates(), rejected, pending.duplicates());
                }
            }
            flush(name, newInfo, read, pending);
        }
        progress.done(name);
        return FileIntake.finish(orders, files, name, new FileIntake.Progress(lines, accepted - pending.duplicates(), rejected,
                pending.duplicates(), bundles));
    }

    /** Stores the pending transactions, then records the rows read (a duplicate's row marked once its store found it). */
    private void flush(String name, Pain001Reader.PaymentInfo info, List<BatchFileStore.PainTransaction> read,
                       PendingLines pending) {
        pending.store();
        if (info != null || !read.isEmpty()) {
            files.painRead(name, info == null ? null : info.number(), info == null ? null : info.id(), List.copyOf(read));
            read.clear();
        }
    }

    private enum Outcome { STORED, REJECTED }

    /** A problem at a path of the transaction (or of its PmtInf), with the ISO reason code it reports as. */
    private record Problem(String path, String reason, String code) {
    }

    /**
     * Takes a transaction: its row joins {@code read}; a valid one joins the pending transactions
     * (STORED: a duplicate is found, and its row marked AM05, when they are stored), a bad one is
     * recorded rejected.
     */
    private Outcome take(String name, String msgId, Pain001Reader.Transaction t, boolean stored,
                         List<BatchFileStore.PainTransaction> read, PendingLines pending) {
        Map<String, String> f = t.fields();
        Map<String, String> info = t.info().fields();
        String endToEndId = f.get("PmtId/EndToEndId");
        String instrId = f.get("PmtId/InstrId");
        // NOTPROVIDED is ISO's word for "no end-to-end id": the instruction id, or the file's own numbering, names the order
        String orderId = !"NOTPROVIDED".equals(endToEndId) ? endToEndId : instrId != null ? instrId : msgId + "/" + t.line();
        OrderValidator.Result result = validator.validate(new OrderInput(orderId, null, null, info.get("DbtrAcct/Id/IBAN"),
                f.get("CdtrAcct/Id/IBAN"), f.get("Cdtr/Nm"), f.get("Amt/InstdAmt"), f.get("RmtInf/Ustrd"),
                f.get("RmtInf/Strd/CdtrRefInf/Ref"), null));
        List<Problem> problems = new ArrayList<>();
        String currency = f.get("Amt/InstdAmt@Ccy");
        if (f.get("Amt/InstdAmt") == null) {
            problems.add(new Problem(t.where() + "/Amt", "only an instructed amount (InstdAmt) in EUR is paid", "AM03"));
        } else if (!"EUR".equals(currency)) {
            problems.add(new Problem(t.where() + "/Amt/InstdAmt", "currency " + currency + " is not paid: SEPA credit"
                    + " transfers are in EUR", "AM03"));
        }
        for (InputProblem p : result.problems()) {
            if (p.field().equals("amountEUR") && f.get("Amt/InstdAmt") == null) {
                continue;
            }
            String[] field = FIELDS.getOrDefault(p.field(), new String[] {p.field(), "NARR"});
            String where = p.field().equals("payer.iban") ? t.info().where() : t.where();
            problems.add(new Problem(where + "/" + field[0], p.reason(), field[1]));
        }
        executionDate(t, info).ifPresent(problems::add);
        BatchFileStore.PainTransaction row = new BatchFileStore.PainTransaction(t.line(), t.info().number(), instrId,
                endToEndId, problems.isEmpty() ? null : problems.get(0).code());
        int index = read.size();
        read.add(row);
        if (stored) {
            return Outcome.STORED;
        }
        if (!problems.isEmpty()) {
            String reason = "file " + name + " " + problems.stream().map(p -> p.path() + ": " + p.reason())
                    .collect(Collectors.joining("; "));
            pending.store();
            files.lineRejected(name, t.line(), orderId.length() <= OrderValidator.MAX_ORDER_ID ? orderId : msgId + "/" + t.line(),
                    reason);
            LOG.warn("Rejected {}", reason);
            return Outcome.REJECTED;
        }
        pending.add(new OrderStore.FileLine(result.order(), t.line()), () -> {
            files.lineDuplicate(name, t.line(), orderId, "file " + name + " " + t.where() + "/PmtId/EndToEndId: " + orderId
                    + " was received before; this transaction is not paid");
            read.set(index, new BatchFileStore.PainTransaction(t.line(), t.info().number(), instrId, endToEndId, "AM05"));
        });
        return Outcome.STORED;
    }

    /**
     * The requested execution date: today or before is paid now; a later one is refused, as OP's
     * payments API (and the sandbox) execute a payment when it is submitted and take no future date.
     */
    private Optional<Problem> executionDate(Pain001Reader.Transaction t, Map<String, String> info) {
        String date = info.getOrDefault("ReqdExctnDt", info.getOrDefault("ReqdExctnDt/Dt", info.get("ReqdExctnDt/DtTm")));
        if (date == null) {
            return Optional.empty();
        }
        try {
            LocalDate requested = LocalDate.parse(date.substring(0, Math.min(10, date.length())));
            if (requested.isAfter(LocalDate.now(clock))) {
                return Optional.of(new Problem(t.info().where() + "/ReqdExctnDt", "requested execution date "
                        + requested + " is in the future; the bank executes a payment when it is submitted and cannot"
                        + " schedule it: send it again on that day", "DT01"));
            }
            return Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.of(new Problem(t.info().where() + "/ReqdExctnDt", "is not a date", "DT01"));
        }
    }
}
