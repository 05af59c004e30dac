package org.pisbridge.bank;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.PaymentStore;

/**
 * Document step 6: PUT /sepa-payments/{paymentId}/submissions/{submissionId} with the user's
 * access token (the bundle's, or an exemption order's own). The submissionId is stored before the call, so a retry or a restart submits
 * under the same id and the bank books the payment once.
 */
public final class PaymentSubmission {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PaymentSubmission.class);

    private final PaymentStore store;
    private final TokenCipher cipher;
    private final BankConnection bank;
    private final SignedResponses responses;
    private final Duration firstCheck;
    private final Clock clock;

    public PaymentSubmission(PaymentStore store, TokenCipher cipher, BankConnection bank, SignedResponses responses, Duration firstCheck, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.bank = bank;
        this.responses = responses;
        this.firstCheck = firstCheck;
        this.clock = clock;
    }

    /** Prepares the PUT for the order id in the body. */
    public void request(Exchange exchange) {
        PaymentOrderRow order = store.order(exchange.getMessage().getBody(String.class));
        String accessToken = order.bundleId() == null ? store.exemptionAccessToken(order.orderId())
                : store.bundle(order.bundleId()).map(BundleRow::accessToken).orElseThrow();
        String submissionId = store.submissionId(order.orderId());
        exchange.setVariable("orderId", order.orderId());
        BankHeaders.apply(exchange.getMessage(), "PUT",
                "/payments-psd2/v1/sepa-payments/" + order.paymentId() + "/submissions/" + submissionId,
                "Bearer " + cipher.decrypt(accessToken), bank);
        exchange.getMessage().setBody(new byte[0]);
    }

    public void submitted(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> submission = responses.verify(exchange);
        store.submitted(exchange.getVariable("orderId", String.class), String.valueOf(submission.get("status")),
                clock.instant().plus(firstCheck));
    }

    /**
     * A refusal (4xx) or an untrusted answer ends the order FAILED. A bank still unavailable after
     * the retries leaves it AUTHORIZED: the next round submits again under the same submissionId,
     * because the bank may already have booked it.
     */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String orderId = exchange.getVariable("orderId", String.class);
        if (failure instanceof SignedResponses.UnverifiedResponse) {
            store.orderEnded(orderId, OrderState.AUTHORIZED, OrderState.FAILED, null,
                    "submission answer not trusted: " + failure.getMessage());
            return;
        }
        BankError error = BankCalls.asBankError("submit payment", failure);
        if (error.isTransient()) {
            LOG.warn("Order {} not submitted yet, tried again shortly: {}", orderId, error.getMessage());
            return;
        }
        store.orderEnded(orderId, OrderState.AUTHORIZED, OrderState.FAILED, null, error.getMessage());
    }
}
