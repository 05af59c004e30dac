package org.pisbridge.bank;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.OrderRecords;
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.TrackingStore;

/**
 * Document step 7: polls each submitted payment's status with a growing interval until it is
 * final, reporting each change. Credited is final; Submitted too where configured (banks whose
 * SEPA payments never report Credited); Rejected and Error end the order. A status this runtime
 * does not know is reported, not guessed at, and read again at the longest interval.
 */
public final class PaymentTracking {
    /** OP's statuses of a submitted payment on its way (from its published API client). */
    private static final Set<String> UNDER_WAY = Set.of("Accepted", "Pending", "Submitted", "Credited");

    private final OrderRecords records;
    private final TrackingStore store;
    private final ClientCredentials token;
    private final BankConnection bank;
    private final SignedResponses responses;
    private final Set<String> completedStatuses;
    private final RetrySchedule reads;
    private final Duration maxInterval;
    private final Clock clock;

    public PaymentTracking(OrderRecords records, TrackingStore store, ClientCredentials token, BankConnection bank,
                           SignedResponses responses, Set<String> completedStatuses, Duration firstInterval,
                           Duration maxInterval, Clock clock) {
        this.records = records;
        this.store = store;
        this.token = token;
        this.bank = bank;
        this.responses = responses;
        this.completedStatuses = completedStatuses;
        this.reads = new RetrySchedule(firstInterval, maxInterval, clock);
        this.maxInterval = maxInterval;
        this.clock = clock;
    }

    /**
     * How long a status read taken by this instance is not taken by another: long enough for a
     * read's answer, short enough that a read taken by an instance that stopped is soon made again.
     */
    private static final Duration READ_CLAIM = Duration.ofSeconds(10);

    /** How many reads one round of the track route takes at most. */
    private static final int PAGE = 500;

    /** Order ids whose status is due for a read, at most a page of them, the longest due first. */
    public List<String> due() {
        return store.due(PAGE);
    }

    /** Whether {@code due} filled its page: more may be due at once. */
    public boolean fullPage(List<String> due) {
        return due.size() == PAGE;
    }

    /** Prepares the status read of the order in the body, once this instance has taken it (variable readClaimed). */
    public void request(Exchange exchange) {
        PaymentOrderRow order = records.order(exchange.getMessage().getBody(String.class));
        exchange.setVariable("orderId", order.orderId());
        exchange.setVariable("readClaimed", store.claimRead(order.orderId(), clock.instant().plus(READ_CLAIM)));
        BankHeaders.applyClient(exchange, "GET", "/payments-psd2/v1/sepa-payments/" + order.paymentId(), token, bank);
        exchange.getMessage().setBody(null);
    }

    public void read(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> payment = responses.verify(exchange);
        String status = String.valueOf(payment.get("status"));
        PaymentOrderRow order = records.order(exchange.getVariable("orderId", String.class));
        OrderState end = completedStatuses.contains(status) ? OrderState.COMPLETED
                : "Rejected".equals(status) ? OrderState.REJECTED
                : "Error".equals(status) ? OrderState.FAILED
                : null;
        Object bankReason = payment.get("rejectionReason") != null ? payment.get("rejectionReason") : payment.get("reason");
        if (end == null && !UNDER_WAY.contains(status)) {
            store.statusRead(order.orderId(), status, null, "the bank reports status " + status + ", which PIS Bridge does not"
                    + " know: the payment's fate is not decided here; read again at the longest interval, check it at the bank",
                    clock.instant().plus(maxInterval));
            return;
        }
        store.statusRead(order.orderId(), status, end, bankReason == null ? null : bankReason.toString(),
                nextCheck(order.checkCount()));
    }

    /**
     * A failed read is tried again later; the payment stays submitted. A bank still unavailable is
     * only rescheduled; a refusal (4xx) or an answer not to trust is reported once per run of failures.
     */
    public void readFailed(Exchange exchange) {
        PaymentOrderRow order = records.order(exchange.getVariable("orderId", String.class));
        BankError error = BankError.caught(exchange, "read payment status", BankError.Call.REPEATABLE);
        store.unreadable(order.orderId(), error.getMessage(), error.outcome() != BankError.Outcome.NOT_PROCESSED,
                nextCheck(order.checkCount()));
    }

    private Instant nextCheck(int checks) {
        return reads.after(checks);
    }
}
