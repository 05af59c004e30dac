package org.pisbridge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pisbridge.orders.OrderState;

/**
 * The attempts at one bundle's SCA: each opening of its link, with its own state, nonce and
 * browser binding; a callback ends its attempt, and the first attempt whose code is exchanged
 * claims the bundle. The code exchange's answer is stored before it is used.
 */
public final class ScaAttempts {
    private final OrderRecords records;

    public ScaAttempts(OrderRecords records) {
        this.records = records;
    }

    /**
     * A new attempt for a bundle waiting for SCA, open until {@code timeout} from now (never past
     * the bundle's deadline). Empty when the bundle does not wait.
     */
    public Optional<ScaAttempt> open(String bundleId, String state, String nonce, String bindingHash, Duration timeout) {
        return records.tx.inTransaction(c -> {
            Optional<BundleRow> bundle = OrderRecords.bundleWhere(c, "bundle_id = ?", bundleId);
            if (bundle.isEmpty() || !bundle.get().awaitsSca()) {
                return Optional.empty();
            }
            Instant expires = records.clock.instant().plus(timeout);
            Instant deadline = bundle.get().scaDeadline();
            if (deadline != null && deadline.isBefore(expires)) {
                expires = deadline;
            }
            Sql.update(c, "insert into sca_attempt (sca_state, bundle_id, nonce, browser_binding, opened_at, expires_at)"
                    + " values (?, ?, ?, ?, ?, ?)", state, bundleId, nonce, bindingHash, records.now(), Timestamp.from(expires));
            return Optional.of(new ScaAttempt(state, bundleId, nonce, bindingHash, expires, null, null));
        });
    }

    public Optional<ScaAttempt> byState(String state) {
        return records.tx.inTransaction(c -> Sql.rows(c, "select " + ScaAttempt.COLUMNS + " from sca_attempt where sca_state = ?",
                ScaAttempt::read, state).stream().findFirst());
    }

    /**
     * The bank sent this attempt back with an error: the attempt ends, the bundle keeps waiting,
     * its orders' events say what the bank said (state unchanged), and the bank's view of the
     * authorization is to be read. False when the attempt had already ended.
     */
    public boolean endedByError(ScaAttempt attempt, String reason) {
        return records.tx.inTransaction(c -> {
            if (Sql.update(c, "update sca_attempt set outcome = ?, reason = ?, ended_at = ? where sca_state = ?"
                    + " and outcome is null", ScaAttempt.ENDED, OrderRecords.fitting(reason), records.now(), attempt.state()) == 0) {
                return false;
            }
            checkDue(c, attempt.bundleId(), reason);
            for (PaymentOrderRow o : OrderRecords.orders(c, "bundle_id = ? and state = 'AWAITING_SCA'", attempt.bundleId())) {
                records.changeOrder(c, o, OrderState.AWAITING_SCA, OrderState.AWAITING_SCA, o.bankStatus(), reason, null);
            }
            return true;
        });
    }

    /**
     * Claims the bundle's code exchange for this attempt, before the code is sent: false when the
     * attempt is no longer open, the bundle no longer waits, or another callback claimed it first.
     */
    public boolean claimExchange(ScaAttempt attempt) {
        return records.tx.inTransaction(c -> {
            int claimed = Sql.update(c, "update sca_attempt set outcome = ? where sca_state = ? and outcome is null",
                    ScaAttempt.COMPLETING, attempt.state());
            if (claimed == 1 && Sql.update(c, "update bundle set code_exchange_at = ?, exchange_attempt = ?, updated_at = ?"
                    + " where bundle_id = ? and state = 'AWAITING_SCA' and withdraw_as is null and code_exchange_at is null",
                    records.now(), attempt.state(), records.now(), attempt.bundleId()) == 1) {
                return true;
            }
            c.rollback();
            return false;
        });
    }

    /** The code exchange's answer (encrypted), stored before anything is done with it. */
    public void exchangeAnswered(String bundleId, String encryptedAnswer) {
        records.tx.inTransaction(c -> Sql.update(c, "update bundle set exchange_answer = ?, exchange_answered_at = ?,"
                + " updated_at = ? where bundle_id = ? and code_exchange_at is not null", encryptedAnswer, records.now(),
                records.now(), bundleId));
    }

    /**
     * The code exchange gave no usable answer: the attempt ends, and the bank's view of the
     * authorization decides what comes next (the claim stays until then).
     */
    public void exchangeFailed(ScaAttempt attempt, String reason) {
        records.tx.inTransaction(c -> {
            Sql.update(c, "update sca_attempt set outcome = ?, reason = ?, ended_at = ? where sca_state = ?"
                    + " and outcome = ?", ScaAttempt.ENDED, OrderRecords.fitting(reason), records.now(), attempt.state(),
                    ScaAttempt.COMPLETING);
            checkDue(c, attempt.bundleId(), reason);
            return null;
        });
    }

    /** The bundle's SCA is in doubt for {@code reason}: its authorization is to be read at the bank. */
    private void checkDue(Connection c, String bundleId, String reason) throws SQLException {
        Sql.update(c, "update bundle set authorization_check = ?, updated_at = ? where bundle_id = ? and state = 'AWAITING_SCA'",
                OrderRecords.fitting(reason), records.now(), bundleId);
    }

    /** A code exchange's stored answer that was never used: the process stopped after storing it. */
    public record StoredAnswer(String bundleId, String attemptState, String encryptedAnswer, Instant answeredAt) {
    }

    public List<StoredAnswer> storedAnswers(Instant claimedBefore) {
        return records.tx.inTransaction(c -> Sql.rows(c, "select bundle_id, exchange_attempt, exchange_answer,"
                + " exchange_answered_at from bundle where state = 'AWAITING_SCA' and withdraw_as is null"
                + " and code_exchange_at < ? and exchange_answer is not null",
                rs -> new StoredAnswer(rs.getString(1), rs.getString(2), rs.getString(3), BundleRow.instant(rs.getTimestamp(4))),
                Timestamp.from(claimedBefore)));
    }

    /**
     * Claims older than {@code claimedBefore} that have neither an answer nor a check due: the
     * process stopped during the exchange. Their authorization is to be read at the bank.
     */
    public int exchangesLost(Instant claimedBefore, String reason) {
        return records.tx.inTransaction(c -> Sql.update(c, "update bundle set authorization_check = ?, updated_at = ?"
                + " where state = 'AWAITING_SCA' and withdraw_as is null and code_exchange_at < ? and exchange_answer is null"
                + " and authorization_check is null", reason, records.now(), Timestamp.from(claimedBefore)));
    }
}
