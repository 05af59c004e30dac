package org.pisbridge.bank;

/**
 * The bank refused a call or could not be reached. The message carries the bank's own error
 * body (OP: {"type","message","id"}), never our request (which holds tokens and secrets).
 */
public final class BankError extends RuntimeException {
    private final int status;

    public BankError(String operation, int status, String bankBody) {
        super(operation + ": bank answered HTTP " + status + (bankBody == null || bankBody.isBlank() ? "" : " " + bankBody.strip()));
        this.status = status;
    }

    public BankError(String operation, Throwable cause) {
        super(operation + ": bank not reachable: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage()), cause);
        this.status = 0;
    }

    /** HTTP status, 0 when no answer came. */
    public int status() {
        return status;
    }
}
