package org.pisbridge.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.pisbridge.orders.OrderState;

/**
 * Step 6's view of the store: the submissions of authorised payments. A submissionId is stored
 * before its PUT; from then on the PUT may have reached the bank, and only the bank's answer, or a
 * read of the submission, decides what happened to it.
 */
public final class SubmissionStore {
    /** submission_state: a PUT may have reached the bank. */
    public static final String SENT = "SENT";
    /** submission_state: the bank said it has no such submission; it is sent again under the same id. */
    public static final String ABSENT = "ABSENT";

    private final OrderRecords records;

    public SubmissionStore(OrderRecords records) {
        this.records = records;
    }

    public List<String> authorizedBundles() {
        return records.tx.inTransaction(c -> Sql.strings(c, "select bundle_id from bundle where state = 'AUTHORIZED'"
                + " order by created_at"));
    }

    /** The bundle's orders due for their submission (or for a read of it). */
    public List<PaymentOrderRow> dueOf(String bundleId) {
        return records.tx.inTransaction(c -> OrderRecords.orders(c, "bundle_id = ? and state = 'AUTHORIZED'"
                + " and (next_check_at is null or next_check_at <= ?) order by created_at, order_id", bundleId, records.now()));
    }

    /** Exemption orders (no bundle) due for their submission. */
    public List<PaymentOrderRow> dueExemptions() {
        return records.tx.inTransaction(c -> OrderRecords.orders(c, "bundle_id is null and state = 'AUTHORIZED'"
                + " and (next_check_at is null or next_check_at <= ?) order by created_at, order_id", records.now()));
    }

    /** Whether a PUT of the order's submission may have reached the bank (then it is read, not sent). */
    public boolean mayHaveReachedTheBank(PaymentOrderRow order) {
        return order.submissionId() != null && !ABSENT.equals(order.submissionState());
    }

    /** What the next submission step of an order is. */
    public record Submission(String submissionId, boolean sendPut) {
    }

    /**
     * The order's submission: a new submissionId is stored (state SENT) before its first PUT, and
     * one the bank said it does not have is sent again under the same id; any other stored
     * submission may have reached the bank, so it is read, not sent.
     */
    public Submission next(String orderId) {
        return records.tx.inTransaction(c -> next(c, OrderRecords.lockedOrder(c, orderId)));
    }

    private Submission next(java.sql.Connection c, PaymentOrderRow o) throws java.sql.SQLException {
        if (mayHaveReachedTheBank(o)) {
            return new Submission(o.submissionId(), false);
        }
        String id = o.submissionId() != null ? o.submissionId() : UUID.randomUUID().toString();
        Sql.update(c, "update order_progress set submission_id = ?, submission_state = ?, updated_at = ? where order_seq = ?",
                id, SENT, records.now(), o.orderSeq());
        return new Submission(id, true);
    }

    /** An order with its next submission step, prepared before the round's calls. */
    public record Next(PaymentOrderRow order, Submission submission) {
    }

    /**
     * {@link #next} for each of a round's orders, in one transaction (orders in id order): every
     * new submissionId is stored before any PUT. An order no longer authorised is left out.
     */
    public List<Next> nextAll(List<PaymentOrderRow> due) {
        return records.tx.inTransaction(c -> {
            List<Next> prepared = new java.util.ArrayList<>(due.size());
            for (PaymentOrderRow o : OrderRecords.lockedOrders(c, due.stream().map(PaymentOrderRow::orderId).toList())) {
                if (o.state() == OrderState.AUTHORIZED) {
                    prepared.add(new Next(o, next(c, o)));
                }
            }
            return prepared;
        });
    }

    /** The bank has no submission under the order's submissionId: the next step sends it again, same id. */
    public void absent(String orderId) {
        records.tx.inTransaction(c -> Sql.update(c, "update order_progress set submission_state = ?, updated_at = ?"
                + " where order_seq = ? and state = 'AUTHORIZED'", ABSENT, records.now(), OrderRecords.lockedOrder(c, orderId).orderSeq()));
    }

    /** The bank's verified answer about an order's submission, stored with the other answers of its round. */
    public record Submitted(String orderId, String bankStatus, Instant nextCheck) {
    }

    /**
     * The bank's verified answers about a round's submissions, in one transaction (orders in id
     * order): the payments are submitted; their status is polled from now on. An answer lost with
     * a crash before this is read back from the bank: the submission is stored as sent.
     */
    public void submitted(List<Submitted> answers) {
        if (answers.isEmpty()) {
            return;
        }
        records.tx.inTransaction(c -> {
            records.eachLocked(c, answers, Submitted::orderId, (o, a) -> records.changeOrder(c, o, OrderState.AUTHORIZED,
                    OrderState.SUBMITTED, a.bankStatus(), null, "next_check_at = ?, check_count = 0, access_token = null",
                    Timestamp.from(a.nextCheck())));
            return null;
        });
    }

    /** The bank refused the submission (a 4xx, its own words): the order ends FAILED. */
    public void refused(String orderId, String reason) {
        records.end(orderId, OrderState.AUTHORIZED, OrderState.FAILED, reason);
    }

    /**
     * No answer, or none to trust: the order stays AUTHORIZED and its submission is read (or sent
     * again when never sent) at {@code nextAttempt}. Reported once per run of failures.
     */
    public void deferred(String orderId, String reason, Instant nextAttempt) {
        records.deferred(orderId, OrderState.AUTHORIZED, reason, nextAttempt);
    }

    /** The encrypted access token an exemption order is submitted with. */
    public String exemptionAccessToken(String orderId) {
        return records.tx.inTransaction(c -> Sql.strings(c, "select access_token from " + OrderRecords.ORDERS + " where order_id = ?", orderId))
                .stream().findFirst().orElse(null);
    }

    /** The bundle's access renewed (the rotated refresh token is stored by the rotation itself). */
    public void accessRenewed(String bundleId, String encryptedAccessToken, Instant expiresAt) {
        records.tx.inTransaction(c -> Sql.update(c, "update bundle set access_token = ?, access_expires_at = ?, updated_at = ?"
                + " where bundle_id = ? and state = 'AUTHORIZED'",
                encryptedAccessToken, Timestamp.from(expiresAt), records.now(), bundleId));
    }

    /** The bank refused the bundle's access token (401): it is renewed before the next submission. */
    public void accessRefused(String bundleId) {
        records.tx.inTransaction(c -> Sql.update(c, "update bundle set access_expires_at = ?, updated_at = ? where bundle_id = ?"
                + " and state = 'AUTHORIZED'", records.now(), records.now(), bundleId));
    }

    /**
     * The bank refused an exemption order's own access token (401, not processed): the order goes
     * back to CREATED for a new exemption assertion, and its submission is then sent under the same id.
     */
    public void exemptionAccessRefused(String orderId, String reason) {
        records.tx.inTransaction(c -> {
            PaymentOrderRow o = OrderRecords.lockedOrder(c, orderId);
            records.changeOrder(c, o, OrderState.AUTHORIZED, OrderState.CREATED, o.bankStatus(),
                    "submission refused the exemption access token: " + reason + "; a new one is asked for",
                    "access_token = null, submission_state = ?", ABSENT);
            return null;
        });
    }

    /** Moves an authorised bundle on once none of its payments waits for submission. */
    public void bundleSubmittedIfDone(String bundleId) {
        records.tx.inTransaction(c -> Sql.update(c, "update bundle set state = 'SUBMITTED', access_token = null, refresh_token = null,"
                + " updated_at = ?"
                + " where bundle_id = ? and state = 'AUTHORIZED' and not exists (select 1 from order_progress"
                + " where bundle_id = ? and state = 'AUTHORIZED')", records.now(), bundleId, bundleId));
    }
}
