package org.pisbridge.bank;

import java.util.List;
import org.apache.camel.Exchange;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.orders.BundleState;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.Reinitiation;
import org.pisbridge.store.ScaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A waiting bundle whose end without payment is decided — its deadline passed, it was cancelled,
 * its SCA answer did not validate or the bank rejected it, or its approval's tokens were lost —
 * has its authorization revoked at the bank (DELETE /authorizations/{id}) so nobody can approve or
 * use it later; then it ends: EXPIRED, CANCELLED, SCA_REJECTED, or REPLACED (its orders start
 * again in a new bundle for a new SCA). A revocation the bank refuses (4xx: already gone, or no
 * longer revocable) still ends the bundle, with the bank's words: none of its payments was
 * submitted, and without the SCA's tokens none can be. No answer is tried again next round.
 */
public final class ScaWithdrawal {
    private static final Logger LOG = LoggerFactory.getLogger(ScaWithdrawal.class);

    private final ScaStore store;
    private final Reinitiation reinitiation;
    private final ClientCredentials token;
    private final BankConnection bank;

    public ScaWithdrawal(ScaStore store, Reinitiation reinitiation, ClientCredentials token, BankConnection bank) {
        this.store = store;
        this.reinitiation = reinitiation;
        this.token = token;
        this.bank = bank;
    }

    /** A cancellation that cannot be done: the bundle does not (or no longer) wait for SCA. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** Bundles past their deadline are withdrawn; returns every bundle whose authorization is to be revoked. */
    public List<String> due() {
        int overdue = store.expireOverdue("no SCA within the configured time");
        if (overdue > 0) {
            LOG.info("{} bundle(s) without SCA in time: their authorizations are revoked", overdue);
        }
        return store.withdrawals().stream().map(ScaStore.Withdrawal::bundleId).toList();
    }

    /** Cancels a bundle waiting for SCA, by request: it is withdrawn, to end CANCELLED. */
    public String cancel(String bundleId) throws Refused {
        BundleRow bundle = store.bundle(bundleId).orElseThrow(() -> new Refused("there is no bundle " + bundleId));
        if (!store.withdraw(bundleId, BundleState.CANCELLED, "cancelled by request")) {
            throw new Refused("bundle " + bundleId + " is " + (bundle.state() == BundleState.AWAITING_SCA
                    ? "already being withdrawn as " + bundle.withdrawAs() : bundle.state())
                    + "; only a bundle waiting for SCA can be cancelled");
        }
        LOG.info("Bundle {} cancelled by request; its authorization is revoked at the bank", bundleId);
        return bundleId;
    }

    /** The answer to a cancellation, once its revocation was tried. */
    public String cancelled(String bundleId) {
        BundleRow bundle = store.bundle(bundleId).orElseThrow();
        return bundle.state() == BundleState.CANCELLED
                ? "CANCELLED: bundle " + bundleId + ": its authorization was revoked at the bank and its orders ended CANCELLED"
                : "CANCELLING: bundle " + bundleId + " will not be paid; the bank has not confirmed the revocation of its"
                + " authorization yet, which is asked again every round";
    }

    /** DELETE of the authorization of the bundle in the body. */
    public void request(Exchange exchange) {
        String bundleId = exchange.getMessage().getBody(String.class);
        BundleRow bundle = store.bundle(bundleId).orElseThrow();
        exchange.setVariable("bundleId", bundleId);
        BankHeaders.applyClient(exchange, "DELETE", "/payments-psd2/v1/authorizations/" + bundle.authorizationId(), token, bank);
        exchange.getMessage().setBody(null);
    }

    public void revoked(Exchange exchange) {
        end(exchange.getVariable("bundleId", String.class), "its authorization was revoked at the bank");
    }

    public void failed(Exchange exchange) {
        String bundleId = exchange.getVariable("bundleId", String.class);
        BankError error = BankError.caught(exchange, "revoke authorization", BankError.Call.REPEATABLE);
        if (error.outcome() == BankError.Outcome.REFUSED) {
            end(bundleId, "the bank refused to revoke the authorization (" + error.getMessage() + "); none of its payments"
                    + " was submitted");
            return;
        }
        LOG.warn("Authorization of bundle {} not revoked yet, tried again next round: {}", bundleId, error.getMessage());
    }

    private void end(String bundleId, String revocation) {
        ScaStore.Withdrawal w = store.withdrawal(bundleId).orElse(null);
        if (w == null) {
            return; // ended meanwhile
        }
        String reason = w.reason() + "; " + revocation;
        switch (w.end()) {
            case REPLACED -> LOG.warn("Bundle {}: {}; continued as bundle {}", bundleId, reason,
                    reinitiation.awaitingScaOf(bundleId, reason));
            case EXPIRED -> store.ended(bundleId, BundleState.EXPIRED, OrderState.EXPIRED, reason);
            case CANCELLED -> store.ended(bundleId, BundleState.CANCELLED, OrderState.CANCELLED, reason);
            default -> store.ended(bundleId, BundleState.SCA_REJECTED, OrderState.SCA_REJECTED, reason);
        }
    }
}
