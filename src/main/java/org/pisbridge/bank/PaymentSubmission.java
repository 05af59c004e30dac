package org.pisbridge.bank;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.store.OrderRecords;
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.Reinitiation;
import org.pisbridge.store.SubmissionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Document step 6: PUT /sepa-payments/{paymentId}/submissions/{submissionId} with the user's
 * access token (the bundle's, renewed when needed, or an exemption order's own). The submissionId
 * is stored before the PUT. From then on the PUT may have reached the bank, so the order never
 * ends on this side's word: the next step reads the submission back (GET, client token), and only
 * the bank's verified answer moves it on; a submission the bank says it does not have is sent again
 * under the same id.
 */
public final class PaymentSubmission {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentSubmission.class);
    private static final String PAYMENTS = "/payments-psd2/v1/sepa-payments/";

    private final OrderRecords records;
    private final SubmissionStore store;
    private final AccessRenewal access;
    private final Reinitiation reinitiation;
    private final ClientCredentials token;
    private final TokenCipher cipher;
    private final BankConnection bank;
    private final SignedResponses responses;
    private final RetrySchedule retries;
    private final Duration firstCheck;

    public PaymentSubmission(OrderRecords records, SubmissionStore store, AccessRenewal access, Reinitiation reinitiation,
                             ClientCredentials token, TokenCipher cipher, BankConnection bank, SignedResponses responses,
                             RetrySchedule retries, Duration firstCheck) {
        this.records = records;
        this.store = store;
        this.access = access;
        this.reinitiation = reinitiation;
        this.token = token;
        this.cipher = cipher;
        this.bank = bank;
        this.responses = responses;
        this.retries = retries;
        this.firstCheck = firstCheck;
    }

    /**
     * A bundle's round of submissions, prepared at once: its access token checked first (renewed
     * when needed: an access lost for good must find the submissions not yet sent), then every new
     * submissionId stored in one transaction. Should the access not be had now — or for exemption
     * orders, each with its own token — the orders are left to be prepared one by one
     * ({@link #request}), where the failure model takes each.
     */
    public List<?> prepare(List<PaymentOrderRow> due) {
        String bundleId = due.isEmpty() ? null : due.get(0).bundleId();
        if (bundleId == null) {
            return due;
        }
        if (due.stream().anyMatch(o -> !store.mayHaveReachedTheBank(o))) {
            try {
                access.accessToken(bundleId);
            } catch (AccessRenewal.AccessLost lost) {
                // never asked again: the renewal's grant may be spent
                startAgain(bundleId, lost);
                return List.of();
            } catch (RuntimeException e) {
                return due;
            }
        }
        return store.nextAll(due);
    }

    /**
     * Prepares the next submission step of the order in the body (prepared with its round, or an
     * order alone): the PUT, or the read of one sent before.
     */
    public void request(Exchange exchange) {
        Object item = exchange.getMessage().getBody();
        SubmissionStore.Next prepared = item instanceof SubmissionStore.Next next ? next : null;
        PaymentOrderRow order = prepared != null ? prepared.order() : (PaymentOrderRow) item;
        exchange.setVariable("orderId", order.orderId());
        exchange.setVariable("bundleId", order.bundleId());
        String accessToken = null;
        SubmissionStore.Submission submission;
        if (prepared != null) {
            submission = prepared.submission();
        } else {
            // the access token first: an access lost for good must find the submission not yet sent
            accessToken = !store.mayHaveReachedTheBank(order) ? accessToken(order) : null;
            submission = store.next(order.orderId());
        }
        String path = PAYMENTS + order.paymentId() + "/submissions/" + submission.submissionId();
        exchange.setVariable("submissionRead", !submission.sendPut());
        if (submission.sendPut()) {
            BankHeaders.apply(exchange.getMessage(), "PUT", path,
                    "Bearer " + (accessToken != null ? accessToken : accessToken(order)), bank);
        } else {
            BankHeaders.applyClient(exchange, "GET", path, token, bank);
        }
        exchange.getMessage().setBody(new byte[0]);
    }

    /** The bundle's access is lost for good: its payments not yet submitted start again for a new SCA. */
    private void startAgain(String bundleId, AccessRenewal.AccessLost lost) {
        String again = reinitiation.unsubmittedOf(bundleId, lost.getMessage()
                + "; the payments not yet submitted are created again for a new SCA");
        LOG.warn("Bundle {}: {}; its unsubmitted payments start again in bundle {}", bundleId, lost.getMessage(), again);
    }

    private String accessToken(PaymentOrderRow order) {
        return order.bundleId() == null ? cipher.decrypt(store.exemptionAccessToken(order.orderId()))
                : access.accessToken(order.bundleId());
    }

    /** The bank's verified answer: the submission is there; stored with the round's other answers ({@link #record}). */
    public SubmissionStore.Submitted submitted(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> submission = responses.verify(exchange);
        return new SubmissionStore.Submitted(exchange.getVariable("orderId", String.class),
                String.valueOf(submission.get("status")), retries.clock().instant().plus(firstCheck));
    }

    /** Stores a round's verified answers in one transaction: their payments are submitted, polled from now on. */
    public void record(List<?> answers) {
        // an answer the store refuses: its submission is read back later
        RoundOutcomes.store(answers, SubmissionStore.Submitted.class, store::submitted, (answer, refused) -> {
            LOG.warn("Order {}: the bank's answer to its submission could not be stored ({}); read back later",
                    answer.orderId(), refused.getMessage());
            store.deferred(answer.orderId(), "submission outcome unknown: the bank's answer could not be stored: "
                    + refused.getMessage() + "; the bank's answer decides, read again later",
                    retries.after(records.order(answer.orderId()).checkCount()));
        });
    }

    /**
     * The failure model applied to a submission step. The bank's refusal of a PUT ends the order
     * FAILED with its words, except a 401 (the user's token: renewed, sent again). A read answered
     * 404 means the bank has no such submission: it is sent again under the same id. Anything else
     * leaves the order AUTHORIZED, to be read again later; never FAILED on this side's word.
     */
    public void failed(Exchange exchange) {
        String orderId = exchange.getVariable("orderId", String.class);
        String bundleId = exchange.getVariable("bundleId", String.class);
        boolean read = Boolean.TRUE.equals(exchange.getVariable("submissionRead", Boolean.class));
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught instanceof AccessRenewal.AccessLost lost) {
            startAgain(bundleId, lost);
            return;
        }
        BankError error = BankError.caught(exchange, read ? "read submission" : "submit payment", BankError.Call.REPEATABLE);
        if (error.outcome() == BankError.Outcome.REFUSED) {
            if (read && error.status() == 404) {
                store.absent(orderId);
                return;
            }
            if (!read && error.status() == 401) {
                // the user's token refused: not processed; renewed before the same submission is sent again
                if (bundleId == null) {
                    store.exemptionAccessRefused(orderId, error.getMessage());
                    return;
                }
                store.absent(orderId);
                store.accessRefused(bundleId);
                store.deferred(orderId, "submission delayed: " + error.getMessage() + "; the access is renewed first",
                        retries.after(0));
                return;
            }
            if (!read) {
                store.refused(orderId, error.getMessage());
                return;
            }
        }
        String why = error.outcome() == BankError.Outcome.NOT_PROCESSED ? "submission delayed: " : "submission outcome unknown: ";
        LOG.warn("Order {}: {}{}; read from the bank later", orderId, why, error.getMessage());
        store.deferred(orderId, why + error.getMessage() + "; the bank's answer decides, read again later",
                retries.after(records.order(orderId).checkCount()));
    }
}
