package org.pisbridge.bank;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * A bank call that did not end in a verified 2xx, classified once, here, by the failure model
 * every stage follows. The message carries the bank's own error body (OP: {"type","message","id"}),
 * never our request (which holds tokens and secrets).
 *
 * <ul>
 * <li>{@link Outcome#NOT_PROCESSED}: the request never reached the bank's processing (no
 * connection, TLS set-up failed, 429, or a 5xx to a call that may be repeated): try again later;
 * the order keeps its state. An outage delays payments, never ends them.</li>
 * <li>{@link Outcome#REFUSED}: the bank's answer, a 4xx with its error body: ends that step with the
 * bank's words.</li>
 * <li>{@link Outcome#UNKNOWN}: the request may have been processed (no answer after it was sent,
 * an answer that cannot be verified, a failure on this side after a 2xx): never a final state; the
 * truth is read from the bank.</li>
 * </ul>
 */
public final class BankError extends RuntimeException {

    public enum Outcome { NOT_PROCESSED, REFUSED, UNKNOWN }

    /**
     * How a call may be repeated. A grant the bank consumes (authorization code, refresh token,
     * jwt-bearer assertion) is spent once processed, so only an answer that it was not processed
     * (429, 503, no connection) lets it be sent again.
     */
    public enum Call { REPEATABLE, CONSUMES_GRANT }

    private final int status;
    private final Outcome outcome;

    private BankError(String message, int status, Outcome outcome, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.outcome = outcome;
    }

    /** The bank answered {@code status} with {@code bankBody}, to a repeatable call. */
    public BankError(String operation, int status, String bankBody) {
        this(message(operation, status, bankBody), status, classify(status, Call.REPEATABLE), null);
    }

    /**
     * No answer came ({@code unreachable}), or the call failed on this side. A failed TLS
     * handshake is set-up, not an outage: it is named as such.
     */
    public BankError(String operation, Throwable cause, boolean unreachable) {
        this(operation + ": " + (tlsFailure(cause) ? TLS_HINT : unreachable ? "bank not reachable: " : "") + named(cause),
                unreachable && !tlsFailure(cause) ? 0 : -1, unreachable ? Outcome.NOT_PROCESSED : Outcome.UNKNOWN, cause);
    }

    /** An answer that came but cannot be trusted (signature missing or wrong, not JSON): the call's effect is unknown. */
    public static BankError untrusted(String operation, String why) {
        return new BankError(operation + ": answer not trusted: " + why, -1, Outcome.UNKNOWN, null);
    }

    /**
     * The failure model: what {@code failure} of a call of kind {@code call} says about the bank's
     * side. Anything not recognised as "not sent" or as the bank's answer is UNKNOWN.
     */
    public static BankError of(String operation, Throwable failure, Call call) {
        if (failure instanceof BankError b) {
            return b;
        }
        if (failure instanceof SignedResponses.UnverifiedResponse u) {
            return untrusted(operation, u.getMessage());
        }
        if (failure instanceof HttpOperationFailedException http) {
            int s = http.getStatusCode();
            return new BankError(message(operation, s, http.getResponseBody()), s, classify(s, call), null);
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (notSent(t)) {
                return new BankError(operation + ": " + (tlsFailure(t) ? TLS_HINT : "bank not reachable: ") + named(t),
                        tlsFailure(t) ? -1 : 0, Outcome.NOT_PROCESSED, failure);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return new BankError(operation + ": no answer after the request was sent: " + named(t), 0, Outcome.UNKNOWN,
                        failure);
            }
        }
        return new BankError(operation + ": failed on this side: " + named(failure), -1, Outcome.UNKNOWN, failure);
    }

    /** The failure caught by a route's doCatch, classified. */
    public static BankError caught(Exchange exchange, String operation, Call call) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return of(operation, t == null ? new IllegalStateException("no failure recorded") : t, call);
    }

    /**
     * The bank-call routes' redelivery policy asks this: a repeatable call that failed without a
     * final answer is sent again at once (with back-off), under the same idempotency key or
     * submissionId; a refusal is never repeated.
     */
    public static boolean sendAgainNow(Exchange exchange) {
        Throwable t = failureNow(exchange);
        // a failed TLS handshake is set-up, not an outage: repeating it at once changes nothing
        return t != null && of("bank call", t, Call.REPEATABLE).outcome() != Outcome.REFUSED && !tlsFailure(t);
    }

    /** A consumed grant is sent again at once only when the bank said it did not process it. */
    public static boolean sendGrantAgainNow(Exchange exchange) {
        Throwable t = failureNow(exchange);
        return t != null && of("grant", t, Call.CONSUMES_GRANT).outcome() == Outcome.NOT_PROCESSED
                && !tlsFailure(t);
    }

    /**
     * The failure of the attempt being judged: the exchange's own exception. The caught-exception
     * property may still hold an earlier attempt's (a lost answer before the bank's 400), which
     * would make a refusal look like something worth sending again.
     */
    private static Throwable failureNow(Exchange exchange) {
        Throwable t = exchange.getException();
        return t != null ? t : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static Outcome classify(int status, Call call) {
        if (status == 429 || status == 503) {
            return Outcome.NOT_PROCESSED;
        }
        if (status >= 500) {
            // a repeatable call may simply be made again; a consumed grant may have been spent
            return call == Call.REPEATABLE ? Outcome.NOT_PROCESSED : Outcome.UNKNOWN;
        }
        return Outcome.REFUSED;
    }

    /** Failures that happen before the request could reach the bank. */
    private static boolean notSent(Throwable t) {
        String name = t.getClass().getName();
        return t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                || t instanceof javax.net.ssl.SSLHandshakeException
                || name.equals("org.apache.hc.client5.http.ConnectTimeoutException")
                || name.equals("org.apache.hc.client5.http.HttpHostConnectException")
                || (t instanceof InterruptedIOException && String.valueOf(t.getMessage()).toLowerCase().contains("connect timed out"));
    }

    /** A failure as the reason names it: its kind and its own message. */
    private static String named(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }

    private static String message(String operation, int status, String bankBody) {
        return operation + ": bank answered HTTP " + status + (bankBody == null || bankBody.isBlank() ? "" : " " + bankBody.strip());
    }

    private static final String TLS_HINT = "the TLS handshake with the bank failed (the bank must trust the client"
            + " certificate in pis.bank.keystore, and pis.bank.truststore must hold the bank's CA): ";

    private static boolean tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** HTTP status; 0 when no answer came, -1 when the call failed on this side or the answer was not trusted. */
    public int status() {
        return status;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The bank refused the grant itself (RFC 6749 invalid_grant): the code or token is spent or revoked. */
    public boolean invalidGrant() {
        return outcome == Outcome.REFUSED && status == 400 && getMessage().contains("invalid_grant");
    }
}
