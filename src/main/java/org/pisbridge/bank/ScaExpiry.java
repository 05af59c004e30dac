package org.pisbridge.bank;

import org.apache.camel.Exchange;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.orders.BundleState;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.PaymentStore;

/**
 * A bundle whose SCA did not come in time: its authorization is revoked at the bank
 * (DELETE /authorizations/{id}) so nobody can approve it later, then its orders end EXPIRED.
 */
public final class ScaExpiry {
    private final PaymentStore store;
    private final ClientCredentials token;
    private final BankConnection bank;

    public ScaExpiry(PaymentStore store, ClientCredentials token, BankConnection bank) {
        this.store = store;
        this.token = token;
        this.bank = bank;
    }

    public java.util.List<String> overdue() {
        return store.scaOverdue();
    }

    public void request(Exchange exchange) {
        BundleRow bundle = store.bundle(exchange.getMessage().getBody(String.class)).orElseThrow();
        exchange.setVariable("bundleId", bundle.bundleId());
        BankHeaders.apply(exchange.getMessage(), "DELETE", "/payments-psd2/v1/authorizations/" + bundle.authorizationId(),
                token.bearer(), bank);
        exchange.getMessage().setBody(null);
    }

    public void revoked(Exchange exchange) {
        store.scaEnded(exchange.getVariable("bundleId", String.class), BundleState.EXPIRED, OrderState.EXPIRED,
                "no SCA within the configured time; authorization revoked at the bank");
    }
}
