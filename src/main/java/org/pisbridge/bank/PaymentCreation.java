package org.pisbridge.bank;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.pisbridge.jose.DetachedJws;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.PaymentStore;

/**
 * Document step 3: one POST /sepa-payments per order. The first payment of a bundle opens the
 * authorization; the others carry its authorizationId. The body is signed exactly as sent and
 * the x-idempotency-key comes from the order, so a retry or a restart gets the same payment back.
 */
public final class PaymentCreation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PaymentStore store;
    private final ClientCredentials token;
    private final BankConnection bank;
    private final SignedResponses responses;

    public PaymentCreation(PaymentStore store, ClientCredentials token, BankConnection bank, SignedResponses responses) {
        this.store = store;
        this.token = token;
        this.bank = bank;
        this.responses = responses;
    }

    /** Sets the signed request for the order in the body (an order id) onto the exchange. */
    public void request(Exchange exchange) {
        PaymentOrderRow order = store.order(exchange.getMessage().getBody(String.class));
        BundleRow bundle = store.bundle(order.bundleId()).orElseThrow();
        byte[] body = body(order, bundle.authorizationId());
        exchange.setVariable("orderId", order.orderId());
        var m = exchange.getMessage();
        BankHeaders.apply(m, "POST", "/payments-psd2/v1/sepa-payments", token.bearer(), bank);
        m.setHeader("Content-Type", "application/json");
        m.setHeader("x-idempotency-key", order.idempotencyKey());
        m.setHeader("x-jws-signature", DetachedJws.sign(body, bank.signingKey()));
        m.setBody(body);
    }

    /** Stores the created payment once its answer verified. */
    public void created(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> payment = responses.verify(exchange);
        store.paymentCreated(exchange.getVariable("orderId", String.class),
                String.valueOf(payment.get("paymentId")), String.valueOf(payment.get("authorizationId")),
                String.valueOf(payment.get("status")));
    }

    /** The bank refused, answered unsigned, or could not be reached within the retries. */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason;
        if (failure instanceof SignedResponses.UnverifiedResponse) {
            reason = "payment creation answer not trusted: " + failure.getMessage();
        } else {
            BankError error = BankCalls.asBankError("create payment", failure);
            // 401 to a request with a valid client token: the bank did not accept the x-jws-signature
            reason = error.getMessage() + (error.status() == 401 ? "; " + bank.signedRequestHint() : "");
        }
        store.orderEnded(exchange.getVariable("orderId", String.class), OrderState.BUNDLED, OrderState.FAILED,
                null, reason);
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
