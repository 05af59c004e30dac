package org.pisbridge.bank;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.PaymentStore;

/**
 * Document step 7: polls each submitted payment's status with a growing interval until it is
 * final, reporting each change. Credited is final; Submitted too where configured (banks whose
 * SEPA payments never report Credited); Rejected and Error end the order.
 */
public final class PaymentTracking {
    private final PaymentStore store;
    private final ClientCredentials token;
    private final BankConnection bank;
    private final SignedResponses responses;
    private final Set<String> completedStatuses;
    private final Duration firstInterval;
    private final Duration maxInterval;
    private final Clock clock;

    public PaymentTracking(PaymentStore store, ClientCredentials token, BankConnection bank, SignedResponses responses, Set<String> completedStatuses, Duration firstInterval,
                           Duration maxInterval, Clock clock) {
        this.store = store;
        this.token = token;
        this.bank = bank;
        this.responses = responses;
        this.completedStatuses = completedStatuses;
        this.firstInterval = firstInterval;
        this.maxInterval = maxInterval;
        this.clock = clock;
    }

    /** Order ids whose status is due for a read. */
    public java.util.List<String> due() {
        return store.dueForCheck(100).stream().map(PaymentOrderRow::orderId).toList();
    }

    public void request(Exchange exchange) {
        PaymentOrderRow order = store.order(exchange.getMessage().getBody(String.class));
        exchange.setVariable("orderId", order.orderId());
        BankHeaders.apply(exchange.getMessage(), "GET", "/payments-psd2/v1/sepa-payments/" + order.paymentId(),
                token.bearer(), bank);
        exchange.getMessage().setBody(null);
    }

    public void read(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> payment = responses.verify(exchange);
        String status = String.valueOf(payment.get("status"));
        PaymentOrderRow order = store.order(exchange.getVariable("orderId", String.class));
        OrderState end = completedStatuses.contains(status) ? OrderState.COMPLETED
                : "Rejected".equals(status) ? OrderState.REJECTED
                : "Error".equals(status) ? OrderState.FAILED
                : null;
        Object reason = payment.get("rejectionReason") != null ? payment.get("rejectionReason") : payment.get("reason");
        store.statusRead(order.orderId(), status, end, reason == null ? null : reason.toString(), nextCheck(order.checkCount()));
    }

    /**
     * A failed read is tried again later; the payment stays submitted. A bank still unavailable is
     * only logged; a refusal (4xx) or an untrusted answer is reported once per run of failures.
     */
    public void readFailed(Exchange exchange) {
        PaymentOrderRow order = store.order(exchange.getVariable("orderId", String.class));
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof SignedResponses.UnverifiedResponse) {
            store.statusUnreadable(order.orderId(), "answer not trusted: " + failure.getMessage(), nextCheck(order.checkCount()));
            return;
        }
        BankError error = BankCalls.asBankError("read payment status", failure);
        if (error.isTransient()) {
            store.readAgainAt(order.orderId(), nextCheck(order.checkCount()));
        } else {
            store.statusUnreadable(order.orderId(), error.getMessage(), nextCheck(order.checkCount()));
        }
    }

    private java.time.Instant nextCheck(int checks) {
        long factor = 1L << Math.min(checks, 16);
        Duration wait = firstInterval.multipliedBy(factor);
        return clock.instant().plus(wait.compareTo(maxInterval) > 0 ? maxInterval : wait);
    }
}
