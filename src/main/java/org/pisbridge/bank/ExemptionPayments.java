package org.pisbridge.bank;

import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.pisbridge.jose.DetachedJws;
import org.pisbridge.oauth.ClientAuthentication;
import org.pisbridge.oauth.Forms;
import org.pisbridge.oauth.RequestObjects;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.OrderStore;
import org.pisbridge.store.PayerGrants;
import org.pisbridge.store.PaymentOrderRow;
import org.pisbridge.store.PaymentStore;
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
    private final PaymentStore store;
    private final OrderStore orders;
    private final PayerGrants grants;
    private final BankCalls calls;
    private final RequestObjects requestObjects;
    private final TokenCipher cipher;
    private final BankConnection bank;
    private final SignedResponses responses;
    private final String customerIpAddress;
    private final String customerUserAgent;
    private final Clock clock;

    public ExemptionPayments(PaymentStore store, OrderStore orders, PayerGrants grants, BankCalls calls,
                             RequestObjects requestObjects, TokenCipher cipher, BankConnection bank,
                             ClientAuthentication authentication, SignedResponses responses, String customerIpAddress,
                             String customerUserAgent, Clock clock) {
        this.authentication = authentication;
        this.store = store;
        this.orders = orders;
        this.grants = grants;
        this.calls = calls;
        this.requestObjects = requestObjects;
        this.cipher = cipher;
        this.bank = bank;
        this.responses = responses;
        this.customerIpAddress = customerIpAddress;
        this.customerUserAgent = customerUserAgent;
        this.clock = clock;
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
        PaymentOrderRow order = store.order(exchange.getMessage().getBody(String.class));
        exchange.setVariable("orderId", order.orderId());
        PayerGrants.Grant grant = grants.of(order.payerIban())
                .orElseThrow(() -> new NotExempt("no grant from an earlier SCA for payer " + order.payerIban()));
        Map<String, Object> tokens;
        try {
            tokens = calls.token("exemption refresh token grant", authentication.form(
                    "grant_type", "refresh_token",
                    "refresh_token", cipher.decrypt(grant.encryptedRefreshToken()),
                    "scope", RequestObjects.EXEMPTION_SCOPE));
        } catch (BankError e) {
            if (e.status() == 400 && e.getMessage().contains("invalid_grant")) {
                // the bank's verdict on this token (expired, revoked): keeping it would only fail again.
                // Anything else (down, our own credentials refused) says nothing about the token: it is kept.
                grants.refused(order.payerIban(), grant.encryptedRefreshToken());
            }
            throw e;
        }
        String rotated = (String) tokens.get("refresh_token");
        if (rotated != null) {
            grants.rotated(order.payerIban(), grant.encryptedRefreshToken(), cipher.encrypt(rotated), clock.instant());
        }
        byte[] body = PaymentCreation.body(order, null);
        var m = exchange.getMessage();
        BankHeaders.apply(m, "POST", "/payments-psd2/v1/sepa-payments", "Bearer " + Forms.required(tokens, "access_token"), bank);
        m.setHeader("Content-Type", "application/json");
        m.setHeader("x-idempotency-key", order.idempotencyKey());
        m.setHeader("x-jws-signature", DetachedJws.sign(body, bank.signingKey()));
        PaymentStore.Customer customer = store.customerOf(order.orderId());
        m.setHeader("x-fapi-customer-ip-address", customer.ipAddress() != null ? customer.ipAddress() : customerIpAddress);
        m.setHeader("x-customer-user-agent", customer.userAgent() != null ? customer.userAgent() : customerUserAgent);
        m.setHeader("x-fapi-customer-last-logged-time", IMF_FIXDATE.format(
                customer.lastLoggedAt() != null ? customer.lastLoggedAt() : grant.scaAt()));
        m.setBody(body);
    }

    /** Stores the exemption payment once its answer verified. */
    public void created(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> payment = responses.verify(exchange);
        store.exemptionCreated(exchange.getVariable("orderId", String.class), String.valueOf(payment.get("paymentId")),
                String.valueOf(payment.get("authorizationId")), String.valueOf(payment.get("status")));
    }

    /** Step 4 for the created order id in the body: the exemption request JWT in a jwt-bearer grant. */
    public void authorize(Exchange exchange) {
        PaymentOrderRow order = store.order(exchange.getMessage().getBody(String.class));
        exchange.setVariable("orderId", order.orderId());
        Map<String, Object> tokens = calls.token("exemption jwt-bearer grant", authentication.form(
                "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", requestObjects.exemptionAssertion(order.authorizationId()),
                "response_type", "token",
                "scope", RequestObjects.EXEMPTION_SCOPE));
        store.exemptionAuthorized(order.orderId(), cipher.encrypt(Forms.required(tokens, "access_token")));
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
     * A step failed for the order in {@code from}: an unreachable bank is tried again next round;
     * anything else sends the order to the default flow, the reason in its status event.
     */
    private void failed(Exchange exchange, OrderState from) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String orderId = exchange.getVariable("orderId", String.class);
        String reason;
        if (failure instanceof SignedResponses.UnverifiedResponse) {
            reason = "answer not trusted: " + failure.getMessage();
        } else if (failure instanceof BankError || failure instanceof HttpOperationFailedException
                || failure instanceof IOException) {
            BankError error = BankCalls.asBankError("exemption flow", failure);
            if (unreachable(error)) {
                LOG.warn("Exemption flow of order {} tried again shortly: {}", orderId, error.getMessage());
                return;
            }
            reason = error.getMessage();
        } else {
            reason = failure.getMessage();
        }
        if (orders.fallBackToSca(orderId, from, reason)) {
            LOG.warn("Order {} falls back to the default flow (SCA): {}", orderId, reason);
        }
    }

    private static boolean unreachable(BankError e) {
        return e.status() == 0 || e.status() >= 500 || e.status() == 429;
    }
}
