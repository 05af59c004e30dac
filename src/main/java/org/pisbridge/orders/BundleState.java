package org.pisbridge.orders;

/** Where one bundle (one authorization at the bank, one SCA) stands. */
public enum BundleState {
    /** collecting orders until batchSize or the quiet period */
    OPEN,
    /** taking no more orders; its orders are being marked BUNDLED, a chunk per transaction */
    CLOSING,
    /** closed; payments to be created at the bank */
    CLOSED,
    /** payments created under one authorizationId; waiting for the user's SCA */
    AWAITING_SCA,
    /** SCA validated and the code exchanged; payments to be submitted */
    AUTHORIZED,
    /** every payment submitted; statuses being polled */
    SUBMITTED,
    /** every order of the bundle is final */
    DONE,
    /** no SCA in time: revoked at the bank */
    EXPIRED,
    /** the bank reported its authorization rejected, or the SCA answer was invalid */
    SCA_REJECTED,
    /** cancelled by request while it waited for SCA */
    CANCELLED,
    /** could not be created at the bank */
    FAILED,
    /** its authorization could not be used (a spent code whose tokens were lost): revoked, its orders went on in a new bundle */
    REPLACED
}
