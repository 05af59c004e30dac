package org.pisbridge.bank;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.pisbridge.jose.DetachedJws;
import org.pisbridge.oauth.ClientAuthentication;
import org.pisbridge.oauth.Forms;
import org.pisbridge.oauth.RequestObjects;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.OrderStore;
import org.pisbridge.store.PayerGrants;
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.ExemptionStore;
import org.pisbridge.store.OrderRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The document's exemption flow for one order, without a new SCA: the payer's refresh token from
 * the latest SCA buys a user access token (step 2), which creates the payment on its own
 * authorization (step 3, x-jws-signature and the customer headers); a signed request JWT confirms
 * the reuse of that SCA in a jwt-bearer grant (step 4), whose token submits it (step 5, through
 * {@link PaymentSubmission}). Whatever cannot be mended by trying again falls back to the default
 * flow; an unreachable bank (no answer, 5xx, 429) leaves the order and the refresh token as they
 * are for the next round: a token endpoint that is down has not revoked anything.
 */
public final class ExemptionPayments {
    private static final Logger LOG = LoggerFactory.getLogger(ExemptionPayments.class);
    /** RFC 7231 IMF-fixdate: always a two-digit day, always GMT. */
    static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final ClientAuthentication authentication;
    private final OrderRecords records;
    private final ExemptionStore store;
    private final OrderStore orders;
    private final PayerGrants grants;
    private final RefreshTokenGrant refresh;
    private final BankCalls calls;
    private final RequestObjects requestObjects;
    private final TokenCipher cipher;
    private final BankConnection bank;
    private final SignedResponses responses;
    private final String customerIpAddress;
    private final String customerUserAgent;
    private final RetrySchedule retries;

    public ExemptionPayments(OrderRecords records, ExemptionStore store, OrderStore orders, PayerGrants grants,
                             RefreshTokenGrant refresh, BankCalls calls, RequestObjects requestObjects, TokenCipher cipher,
                             BankConnection bank, ClientAuthentication authentication, SignedResponses responses,
                             String customerIpAddress, String customerUserAgent, RetrySchedule retries) {
        this.authentication = authentication;
        this.records = records;
        this.store = store;
        this.orders = orders;
        this.grants = grants;
        this.refresh = refresh;
        this.calls = calls;
        this.requestObjects = requestObjects;
        this.cipher = cipher;
        this.bank = bank;
        this.responses = responses;
        this.customerIpAddress = customerIpAddress;
        this.customerUserAgent = customerUserAgent;
        this.retries = retries;
    }

    /** The exemption flow cannot continue for a reason trying again will not change. */
    static final class NotExempt extends RuntimeException {
        NotExempt(String message) {
            super(message);
        }
    }

    /**
     * Step 2 and the request of step 3 for the order id in the body: a refresh-token grant with
     * scope payments (the rotated refresh token is kept, encrypted), then the signed POST with it.
     */
    public void createRequest(Exchange exchange) {
        PaymentOrderRow order = records.order(exchange.getMessage().getBody(String.class));
        exchange.setVariable("orderId", order.orderId());
        PayerGrants.Grant grant = grants.of(order.payerIban())
                .orElseThrow(() -> new NotExempt("no grant from an earlier SCA for payer " + order.payerIban()));
        Map<String, Object> tokens;
        try {
            tokens = refresh.renew("exemption refresh token grant", order.payerIban(), null, RequestObjects.EXEMPTION_SCOPE)
                    .orElseThrow(() -> new NotExempt("no grant from an earlier SCA for payer " + order.payerIban()));
        } catch (PayerGrants.RefreshTokenGone e) {
            // the bank's verdict on this token (expired, revoked): it is removed, a new SCA is needed
            throw new NotExempt(e.getMessage());
        }
        byte[] body = PaymentCreation.body(order, null);
        var m = exchange.getMessage();
        BankHeaders.apply(m, "POST", "/payments-psd2/v1/sepa-payments", "Bearer " + Forms.required(tokens, "access_token"), bank);
        m.setHeader("Content-Type", "application/json");
        m.setHeader("x-idempotency-key", order.idempotencyKey());
        m.setHeader("x-jws-signature", DetachedJws.sign(body, bank.signingKey()));
        ExemptionStore.Customer customer = store.customerOf(order.orderId());
        m.setHeader("x-fapi-customer-ip-address", customer.ipAddress() != null ? customer.ipAddress() : customerIpAddress);
        m.setHeader("x-customer-user-agent", customer.userAgent() != null ? customer.userAgent() : customerUserAgent);
        m.setHeader("x-fapi-customer-last-logged-time", IMF_FIXDATE.format(
                customer.lastLoggedAt() != null ? customer.lastLoggedAt() : grant.scaAt()));
        m.setBody(body);
    }

    /** Stores the exemption payment once its answer verified. */
    public void created(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> payment = responses.verify(exchange);
        store.created(exchange.getVariable("orderId", String.class), String.valueOf(payment.get("paymentId")),
                String.valueOf(payment.get("authorizationId")), String.valueOf(payment.get("status")));
    }

    /** Step 4 for the created order id in the body: the exemption request JWT in a jwt-bearer grant. */
    public void authorize(Exchange exchange) {
        PaymentOrderRow order = records.order(exchange.getMessage().getBody(String.class));
        exchange.setVariable("orderId", order.orderId());
        Map<String, Object> tokens = calls.grant("exemption jwt-bearer grant", authentication.form(
                "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", requestObjects.exemptionAssertion(order.authorizationId()),
                "response_type", "token",
                "scope", RequestObjects.EXEMPTION_SCOPE));
        store.authorized(order.orderId(), cipher.encrypt(Forms.required(tokens, "access_token")));
        LOG.info("Order {} authorised without a new SCA (exemption flow)", order.orderId());
    }

    /** Step 2 or 3 failed. */
    public void createFailed(Exchange exchange) {
        failed(exchange, OrderState.EXEMPTION);
    }

    /** Step 4 failed: the bank refused the assertion (its limits, a revoked grant) or could not be reached. */
    public void authorizeFailed(Exchange exchange) {
        failed(exchange, OrderState.CREATED);
    }

    /**
     * A step failed for the order in {@code from}: the bank's refusal (or no grant to use) sends the
     * order to the default flow, the reason in its status event; no answer, or none to trust, keeps
     * it in its step for a later attempt — a token endpoint that is down has not revoked anything.
     */
    private void failed(Exchange exchange, OrderState from) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String orderId = exchange.getVariable("orderId", String.class);
        String reason;
        if (failure instanceof NotExempt) {
            reason = failure.getMessage();
        } else {
            BankError error = BankError.of("exemption flow", failure, BankError.Call.REPEATABLE);
            if (error.outcome() != BankError.Outcome.REFUSED) {
                LOG.warn("Exemption flow of order {} tried again later: {}", orderId, error.getMessage());
                store.deferred(orderId, "exemption flow delayed: " + error.getMessage(),
                        retries.after(records.order(orderId).checkCount()));
                return;
            }
            reason = error.getMessage();
        }
        if (orders.fallBackToSca(orderId, from, reason)) {
            LOG.warn("Order {} falls back to the default flow (SCA): {}", orderId, reason);
        }
    }
}
