package org.pisbridge.bank;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.pisbridge.jose.DetachedJws;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.CreationStore;
import org.pisbridge.store.OrderRecords;
import org.pisbridge.store.PaymentOrderRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Document step 3: one POST /sepa-payments per order. The first payment of a bundle opens the
 * authorization; the others carry its authorizationId. The body is signed exactly as sent and
 * the x-idempotency-key is stored with the order, so a retry or a restart gets the same payment
 * back: a creation without an answer to trust is simply made again later.
 */
public final class PaymentCreation {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentCreation.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrderRecords records;
    private final CreationStore store;
    private final ClientCredentials token;
    private final BankConnection bank;
    private final SignedResponses responses;
    private final RetrySchedule retries;

    public PaymentCreation(OrderRecords records, CreationStore store, ClientCredentials token, BankConnection bank,
                           SignedResponses responses, RetrySchedule retries) {
        this.records = records;
        this.store = store;
        this.token = token;
        this.bank = bank;
        this.responses = responses;
        this.retries = retries;
    }

    /** The bundle's orders whose creation is due (only the first while the authorization is not open). */
    public List<CreationStore.Due> due(String bundleId) {
        return store.dueOf(bundleId);
    }

    /** Sets the signed request for the order in the body onto the exchange. */
    public void request(Exchange exchange) {
        CreationStore.Due due = exchange.getMessage().getBody(CreationStore.Due.class);
        PaymentOrderRow order = due.order();
        byte[] body = body(order, due.authorizationId());
        exchange.setVariable("orderId", order.orderId());
        var m = exchange.getMessage();
        BankHeaders.applyClient(exchange, "POST", "/payments-psd2/v1/sepa-payments", token, bank);
        m.setHeader("Content-Type", "application/json");
        m.setHeader("x-idempotency-key", order.idempotencyKey());
        m.setHeader("x-jws-signature", DetachedJws.sign(body, bank.signingKey()));
        m.setBody(body);
    }

    /** The created payment once its answer verified: stored with the round's other answers ({@link #record}). */
    public CreationStore.Created created(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> payment = responses.verify(exchange);
        return new CreationStore.Created(exchange.getVariable("orderId", String.class),
                String.valueOf(payment.get("paymentId")), String.valueOf(payment.get("authorizationId")),
                String.valueOf(payment.get("status")));
    }

    /**
     * Stores a round's created payments in one transaction. One the store refuses is created again
     * later under the same x-idempotency-key, which gets the same payment back.
     */
    public void record(List<?> answers) {
        RoundOutcomes.store(answers, CreationStore.Created.class, store::created, (answer, refused) -> {
            LOG.warn("Payment of order {} created, but not stored ({}); asked for again later", answer.orderId(),
                    refused.getMessage());
            store.deferred(answer.orderId(), "creation delayed: the bank's answer could not be stored: " + refused.getMessage(),
                    retries.after(records.order(answer.orderId()).checkCount()));
        });
    }

    /**
     * The bank's refusal (4xx) ends the order FAILED with its words; anything else — no answer, an
     * answer not to trust, a failure here after the bank answered — leaves it BUNDLED for a later
     * attempt under the same x-idempotency-key.
     */
    public void failed(Exchange exchange) {
        String orderId = exchange.getVariable("orderId", String.class);
        BankError error = BankError.caught(exchange, "create payment", BankError.Call.REPEATABLE);
        if (error.outcome() == BankError.Outcome.REFUSED) {
            // a 401 that survived a new client token: the hint names what the bank's words point at
            store.refused(orderId, error.status() == 401 ? error.getMessage() + "; " + bank.unauthorizedHint(error.getMessage())
                    : error.getMessage());
            return;
        }
        LOG.warn("Payment of order {} not created yet, tried again later: {}", orderId, error.getMessage());
        store.deferred(orderId, "creation delayed: " + error.getMessage(), retries.after(records.order(orderId).checkCount()));
    }

    /** The request body in the document's shape; amountEUR a string with two decimals. */
    static byte[] body(PaymentOrderRow order, String authorizationId) {
        Map<String, Object> payee = new LinkedHashMap<>();
        payee.put("iban", order.payeeIban());
        payee.put("name", order.payeeName());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("payee", payee);
        body.put("payer", Map.of("iban", order.payerIban()));
        body.put("message", order.message() == null ? "" : order.message());
        body.put("amountEUR", order.amountEur().setScale(2).toPlainString());
        if (order.reference() != null) {
            body.put("reference", order.reference());
        }
        if (authorizationId != null) {
            body.put("authorizationId", authorizationId);
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
