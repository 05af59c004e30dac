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

    /**
     * No answer came ({@code unreachable}), or the call failed on this side before or after it. A
     * failed TLS handshake is set-up, not an outage: it is named as such and not retried.
     */
    public BankError(String operation, Throwable cause, boolean unreachable) {
        super(operation + ": " + (tlsFailure(cause) ? TLS_HINT : unreachable ? "bank not reachable: " : "")
                + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage()), cause);
        this.status = unreachable && !tlsFailure(cause) ? 0 : -1;
    }

    private static final String TLS_HINT = "the TLS handshake with the bank failed (the bank must trust the client"
            + " certificate in pis.bank.keystore, and pis.bank.truststore must hold the bank's CA): ";

    private static boolean tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
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
