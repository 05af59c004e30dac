package org.pisbridge.orders;

/**
 * Where one order stands. Every change is stored in the same transaction as a status event
 * for {@code pis.status}. The last eight are final.
 */
public enum OrderState {
    /** stored, waiting in an open bundle */
    RECEIVED,
    /** eligible for the exemption flow: paid without a new SCA, reusing the payer's earlier one */
    EXEMPTION,
    /**
     * its bundle is closed, or fixed for good (a file's line: one bundle per file and payer); the
     * payment is created at the bank once the bundle is closed
     */
    BUNDLED,
    /** created at the bank (paymentId, authorizationId known), SCA not yet asked for */
    CREATED,
    /** the bundle waits for the user's SCA */
    AWAITING_SCA,
    /** SCA done, submission next */
    AUTHORIZED,
    /** submitted (submissionId stored before the PUT); its status is polled */
    SUBMITTED,
    /** the bank reports the payment done (Credited, or Submitted where configured final) */
    COMPLETED,
    /** the bank rejected the payment (its reason in the event) */
    REJECTED,
    /** a technical or bank business error ended it (reason names it, with the bank's error body) */
    FAILED,
    /** no SCA within the configured time; the authorization was revoked at the bank */
    EXPIRED,
    /** the bank reported the authorization rejected, or its SCA answer did not validate; revoked at the bank */
    SCA_REJECTED,
    /** cancelled by request while it waited for SCA; its authorization was revoked at the bank */
    CANCELLED,
    /** bad input: the event names the field and the reason */
    REJECTED_INPUT,
    /** the orderId was seen before; nothing was paid for this message */
    DUPLICATE;

    public boolean isFinal() {
        return ordinal() >= COMPLETED.ordinal();
    }
}
