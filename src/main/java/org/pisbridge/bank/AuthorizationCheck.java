package org.pisbridge.bank;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.orders.BundleState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.ScaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A waiting bundle whose SCA is in doubt (a code exchange that failed, was lost or never
 * completed; an error redirect): the authorization is read at the bank (signed GET) and the
 * bank's status decides, never our guess:
 * <ul>
 *   <li>{@code Unauthorized} (or {@code Authorizing}): nobody approved it yet, or the bank never
 *       took the code: the bundle waits for a new attempt;</li>
 *   <li>{@code Authorized} after a code exchange without an answer: approved, but its tokens are
 *       lost and its code spent: it is revoked and its payments start again for a new SCA;</li>
 *   <li>{@code Rejected} or {@code Revoked}: it can never be approved: the bundle ends SCA_REJECTED.</li>
 * </ul>
 * A read that fails is done again next round. A bundle whose code exchange is under way (a later
 * attempt's callback came meanwhile) is not read until that exchange has ended, succeeded or
 * been lost: an approval in progress must not pass for one whose tokens never arrived.
 */
public final class AuthorizationCheck {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCheck.class);

    private final ScaStore store;
    private final ClientCredentials token;
    private final BankConnection bank;
    private final SignedResponses responses;
    private final Duration exchangeLostAfter;
    private final Clock clock;

    /** @param exchangeLostAfter how long a claimed code exchange may run before it counts as lost (pis.sca.exchange-lost-after-seconds) */
    public AuthorizationCheck(ScaStore store, ClientCredentials token, BankConnection bank, SignedResponses responses,
                              Duration exchangeLostAfter, Clock clock) {
        this.store = store;
        this.token = token;
        this.bank = bank;
        this.responses = responses;
        this.exchangeLostAfter = exchangeLostAfter;
        this.clock = clock;
    }

    public List<ScaStore.Check> due() {
        return store.checksDue(clock.instant().minus(exchangeLostAfter));
    }

    /** GET of the authorization of the check in the body. */
    public void request(Exchange exchange) {
        ScaStore.Check check = exchange.getMessage().getBody(ScaStore.Check.class);
        BundleRow bundle = store.bundle(check.bundleId()).orElseThrow();
        exchange.setVariable("check", check);
        BankHeaders.applyClient(exchange, "GET", "/payments-psd2/v1/authorizations/" + bundle.authorizationId(), token, bank);
        exchange.getMessage().setBody(null);
    }

    public void decide(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        ScaStore.Check check = exchange.getVariable("check", ScaStore.Check.class);
        Map<String, Object> authorization = responses.verify(exchange);
        String status = String.valueOf(authorization.get("status"));
        String bundleId = check.bundleId();
        switch (status) {
            case "Unauthorized", "Authorizing" -> {
                store.stillWaiting(check);
                LOG.info("Bundle {}: the bank holds its authorization {} after: {}; it waits for a new attempt", bundleId,
                        status, check.reason());
            }
            case "Authorized" -> {
                if (!check.exchangeClaimed()) {
                    // approved in another attempt, whose callback may still come; the deadline bounds the wait
                    store.checked(check);
                    return;
                }
                String reason = check.reason() + "; the bank shows the authorization approved, but its code is spent and"
                        + " its tokens never arrived, so it is revoked and the payments are created again for a new SCA";
                store.withdraw(bundleId, BundleState.REPLACED, reason);
                LOG.warn("Bundle {}: {}", bundleId, reason);
            }
            case "Rejected", "Revoked" -> {
                String reason = "the bank reports the authorization " + status + " (after: " + check.reason()
                        + "); it can no longer be approved";
                store.withdraw(bundleId, BundleState.SCA_REJECTED, reason);
                LOG.warn("Bundle {}: {}", bundleId, reason);
            }
            default -> {
                // Completed or PartiallyRevoked: payments of it were submitted, not by this runtime's word
                store.checked(check);
                LOG.error("Bundle {}: the bank reports its authorization {} although no payment of it was submitted by"
                        + " PIS Bridge; it needs an operator (after: {})", bundleId, status, check.reason());
            }
        }
    }

    public void failed(Exchange exchange) {
        ScaStore.Check check = exchange.getVariable("check", ScaStore.Check.class);
        BankError error = BankError.caught(exchange, "read the authorization", BankError.Call.REPEATABLE);
        LOG.warn("Bundle {}: authorization not read yet, read again next round: {}", check == null ? "?" : check.bundleId(),
                error.getMessage());
    }
}
