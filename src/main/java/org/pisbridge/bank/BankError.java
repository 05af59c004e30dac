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

    /** No answer came ({@code unreachable}), or the call failed on this side before or after it. */
    public BankError(String operation, Throwable cause, boolean unreachable) {
        super(operation + (unreachable ? ": bank not reachable: " : ": ") + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage()), cause);
        this.status = unreachable ? 0 : -1;
    }

    /** HTTP status; 0 when no answer came, -1 when the call failed on this side. */
    public int status() {
        return status;
    }

    /** Worth trying again later: no answer, the bank unavailable (5xx) or asking to slow down (429). */
    public boolean isTransient() {
        return status == 0 || status >= 500 || status == 429;
    }
}
