package org.pisbridge.bank;

import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.store.OrderRecords;
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.Reinitiation;

/**
 * An order that ended without being paid (FAILED, EXPIRED, SCA_REJECTED, CANCELLED) re-submitted under its
 * own orderId, by an operator or an ERP — never automatically. The bank is asked first: an earlier
 * payment it reports booked is tracked to its real end instead; one it still holds unsubmitted is
 * deleted there; only then is a new payment created, under a new idempotency generation, for a
 * new SCA. The route answers with one line: RESUBMITTED, TRACKED or REFUSED.
 */
public final class Resubmission {
    /** Statuses of a payment the bank has booked (or is booking). */
    private static final Set<String> BOOKED = Set.of("Accepted", "Pending", "Submitted", "Credited");
    /** Statuses of a payment created but never submitted: deleted at the bank before a new one is made. */
    private static final Set<String> UNSUBMITTED = Set.of("Unauthorized", "Authorized");
    private static final String PAYMENTS = "/payments-psd2/v1/sepa-payments/";

    /** The request cannot be carried out (now): the answer says why. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final OrderRecords records;
    private final Reinitiation reinitiation;
    private final ClientCredentials token;
    private final BankConnection bank;
    private final SignedResponses responses;

    public Resubmission(OrderRecords records, Reinitiation reinitiation, ClientCredentials token, BankConnection bank,
                        SignedResponses responses) {
        this.records = records;
        this.reinitiation = reinitiation;
        this.token = token;
        this.bank = bank;
        this.responses = responses;
    }

    /** Checks that the order ended unpaid; sets {@code oldPaymentId} when the bank is to be asked about its earlier payment. */
    public void check(Exchange exchange, String orderId) {
        exchange.setVariable("orderId", orderId);
        PaymentOrderRow order;
        try {
            order = records.order(orderId);
        } catch (IllegalStateException e) {
            throw new Refused(orderId + ": no such order");
        }
        if (!Reinitiation.RESUBMITTABLE.contains(order.state().name())) {
            throw new Refused(orderId + ": it is " + order.state() + "; only an order that ended unpaid ("
                    + String.join(", ", Reinitiation.RESUBMITTABLE) + ") can be re-submitted");
        }
        exchange.setVariable("oldPaymentId", order.paymentId());
    }

    public void readRequest(Exchange exchange) {
        BankHeaders.applyClient(exchange, "GET", PAYMENTS + exchange.getVariable("oldPaymentId", String.class), token, bank);
        exchange.getMessage().setBody(null);
    }

    /** The bank's verified status of the earlier payment decides what follows. */
    public void read(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> payment = responses.verify(exchange);
        String status = String.valueOf(payment.get("status"));
        String orderId = exchange.getVariable("orderId", String.class);
        if (BOOKED.contains(status)) {
            reinitiation.foundBooked(orderId, status, "re-submission asked for, but the bank reports the earlier payment "
                    + status + ": it is tracked to its end, no new payment is made");
            exchange.setVariable("answer", "TRACKED: " + orderId + ": the bank had booked the earlier payment (" + status
                    + "); it is tracked to its end, nothing is paid again");
        } else if (UNSUBMITTED.contains(status)) {
            exchange.setVariable("deleteAtBank", true);
        }
    }

    /** The earlier payment could not be read: without the bank's word no new payment is made. A 404 means it is gone. */
    public void readFailed(Exchange exchange) {
        BankError error = BankError.caught(exchange, "read the earlier payment", BankError.Call.REPEATABLE);
        if (error.outcome() == BankError.Outcome.REFUSED && error.status() == 404) {
            return;
        }
        throw new Refused(exchange.getVariable("orderId", String.class) + ": the bank could not say whether the earlier"
                + " payment was booked (" + error.getMessage() + "); nothing was changed, ask again later");
    }

    public void deleteRequest(Exchange exchange) {
        BankHeaders.applyClient(exchange, "DELETE", PAYMENTS + exchange.getVariable("oldPaymentId", String.class), token, bank);
        exchange.getMessage().setBody(null);
    }

    public void deleteFailed(Exchange exchange) {
        BankError error = BankError.caught(exchange, "delete the earlier payment", BankError.Call.REPEATABLE);
        if (error.outcome() == BankError.Outcome.REFUSED && error.status() == 404) {
            return;
        }
        throw new Refused(exchange.getVariable("orderId", String.class) + ": the earlier payment could not be deleted at"
                + " the bank (" + error.getMessage() + "); nothing was changed, ask again later");
    }

    /** The answer: the order started again (or was found booked). */
    public String again(Exchange exchange) {
        String orderId = exchange.getVariable("orderId", String.class);
        String answer = exchange.getVariable("answer", String.class);
        if (answer != null) {
            return answer;
        }
        String bundleId = reinitiation.resubmitted(orderId, "re-submitted by request: a new payment is created and a new"
                + " SCA asked for; the earlier payment was not booked");
        if (bundleId == null) {
            throw new Refused(orderId + ": it is no longer ended unpaid");
        }
        return "RESUBMITTED: " + orderId + ": a new payment is created; its SCA request follows on the SCA queue";
    }
}
