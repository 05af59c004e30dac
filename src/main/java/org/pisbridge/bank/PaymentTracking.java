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
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.TrackingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Document step 7: polls each submitted payment's status with a growing interval until it is
 * final, reporting each change. Credited is final; Submitted too where configured (banks whose
 * SEPA payments never report Credited); Rejected and Error end the order. A status this runtime
 * does not know is reported, not guessed at, and read again at the longest interval.
 */
public final class PaymentTracking {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentTracking.class);
    /** OP's statuses of a submitted payment on its way (from its published API client). */
    private static final Set<String> UNDER_WAY = Set.of("Accepted", "Pending", "Submitted", "Credited");

    private final TrackingStore store;
    private final ClientCredentials token;
    private final BankConnection bank;
    private final SignedResponses responses;
    private final Set<String> completedStatuses;
    private final RetrySchedule reads;
    private final Duration maxInterval;
    private final Clock clock;

    public PaymentTracking(TrackingStore store, ClientCredentials token, BankConnection bank,
                           SignedResponses responses, Set<String> completedStatuses, Duration firstInterval,
                           Duration maxInterval, Clock clock) {
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
     * How long a status read taken by this instance is not taken by another: long enough for its
     * page to wait for the pages before it and be read, short enough that a read taken by an
     * instance that stopped is soon made again.
     */
    private static final Duration READ_CLAIM = Duration.ofSeconds(30);

    /** How many reads a page of the track route holds at most. */
    private static final int PAGE = 500;

    /** Submitted payments whose status is due for a read, at most a page of them, the longest due first, taken by this instance. */
    public List<PaymentOrderRow> due() {
        return store.claimDue(PAGE, clock.instant().plus(READ_CLAIM));
    }

    /** Whether {@code due} found any read: more may have come due while they are made. */
    public boolean found(List<PaymentOrderRow> due) {
        return !due.isEmpty();
    }

    /** Prepares the status read of the payment in the body. */
    public void request(Exchange exchange) {
        PaymentOrderRow order = exchange.getMessage().getBody(PaymentOrderRow.class);
        exchange.setVariable("order", order);
        BankHeaders.applyClient(exchange, "GET", "/payments-psd2/v1/sepa-payments/" + order.paymentId(), token, bank);
        exchange.getMessage().setBody(null);
    }

    /** The bank's verified status, to be stored with the round's other reads. */
    public TrackingStore.Read read(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> payment = responses.verify(exchange);
        String status = String.valueOf(payment.get("status"));
        PaymentOrderRow order = exchange.getVariable("order", PaymentOrderRow.class);
        OrderState end = completedStatuses.contains(status) ? OrderState.COMPLETED
                : "Rejected".equals(status) ? OrderState.REJECTED
                : "Error".equals(status) ? OrderState.FAILED
                : null;
        Object bankReason = payment.get("rejectionReason") != null ? payment.get("rejectionReason") : payment.get("reason");
        if (end == null && !UNDER_WAY.contains(status)) {
            return new TrackingStore.Verified(order.orderId(), status, null, "the bank reports status " + status
                    + ", which PIS Bridge does not know: the payment's fate is not decided here; read again at the longest"
                    + " interval, check it at the bank", clock.instant().plus(maxInterval));
        }
        return new TrackingStore.Verified(order.orderId(), status, end, bankReason == null ? null : bankReason.toString(),
                nextCheck(order.checkCount()));
    }

    /**
     * A failed read is tried again later; the payment stays submitted. A bank still unavailable is
     * only rescheduled; a refusal (4xx) or an answer not to trust is reported once per run of failures.
     */
    public TrackingStore.Read readFailed(Exchange exchange) {
        PaymentOrderRow order = exchange.getVariable("order", PaymentOrderRow.class);
        BankError error = BankError.caught(exchange, "read payment status", BankError.Call.REPEATABLE);
        return new TrackingStore.Unreadable(order.orderId(), error.getMessage(), error.outcome() != BankError.Outcome.NOT_PROCESSED,
                nextCheck(order.checkCount()));
    }

    /** Stores what a round's reads found out, in one transaction. */
    public void record(List<?> reads) {
        // a read the store refuses is made again when its claim ends
        RoundOutcomes.store(reads, TrackingStore.Read.class, store::record, (read, refused) -> LOG.warn(
                "Order {}: its status read could not be stored ({}); read again shortly", read.orderId(), refused.getMessage()));
    }

    private Instant nextCheck(int checks) {
        return reads.after(checks);
    }
}
