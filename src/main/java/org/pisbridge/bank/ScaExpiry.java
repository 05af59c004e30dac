package org.pisbridge.bank;

import org.apache.camel.Exchange;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.orders.BundleState;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.ScaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bundle whose SCA did not come in time: its authorization is revoked at the bank
 * (DELETE /authorizations/{id}) so nobody can approve it later, then its orders end EXPIRED. A
 * revocation the bank refuses (4xx: already gone, or no longer revocable) still ends the bundle:
 * none of its payments was submitted, and without the SCA's tokens none can be; the reason carries
 * the bank's words. No answer is tried again at the next round.
 */
public final class ScaExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(ScaExpiry.class);
    private static final String EXPIRED = "no SCA within the configured time; ";

    private final ScaStore store;
    private final ClientCredentials token;
    private final BankConnection bank;

    public ScaExpiry(ScaStore store, ClientCredentials token, BankConnection bank) {
        this.store = store;
        this.token = token;
        this.bank = bank;
    }

    public java.util.List<String> overdue() {
        return store.overdue();
    }

    public void request(Exchange exchange) {
        BundleRow bundle = store.bundle(exchange.getMessage().getBody(String.class)).orElseThrow();
        exchange.setVariable("bundleId", bundle.bundleId());
        BankHeaders.applyClient(exchange, "DELETE", "/payments-psd2/v1/authorizations/" + bundle.authorizationId(), token, bank);
        exchange.getMessage().setBody(null);
    }

    public void revoked(Exchange exchange) {
        store.ended(exchange.getVariable("bundleId", String.class), BundleState.EXPIRED, OrderState.EXPIRED,
                EXPIRED + "authorization revoked at the bank");
    }

    public void failed(Exchange exchange) {
        String bundleId = exchange.getVariable("bundleId", String.class);
        BankError error = BankError.caught(exchange, "revoke authorization", BankError.Call.REPEATABLE);
        if (error.outcome() == BankError.Outcome.REFUSED) {
            store.ended(bundleId, BundleState.EXPIRED, OrderState.EXPIRED, EXPIRED + "the bank refused to revoke the"
                    + " authorization (" + error.getMessage() + "); none of its payments was submitted");
            return;
        }
        LOG.warn("Authorization of bundle {} not revoked yet, tried again next round: {}", bundleId, error.getMessage());
    }
}
