package org.pisbridge.bank;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.CreationStore;
import org.pisbridge.store.OrderRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a bundle goes to SCA after one of its creations was refused: the authorization is read
 * back (signed GET), and a payment in it that no order of the bundle holds — made by an earlier
 * attempt whose answer was lost — is deleted at the bank, so the person approving sees exactly
 * the payments that will be submitted.
 */
public final class AuthorizationReview {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationReview.class);

    private final OrderRecords records;
    private final CreationStore store;
    private final ClientCredentials token;
    private final BankConnection bank;
    private final SignedResponses responses;

    public AuthorizationReview(OrderRecords records, CreationStore store, ClientCredentials token, BankConnection bank,
                               SignedResponses responses) {
        this.records = records;
        this.store = store;
        this.token = token;
        this.bank = bank;
        this.responses = responses;
    }

    /** GET of the authorization of the bundle in the body. */
    public void request(Exchange exchange) {
        BundleRow bundle = records.bundle(exchange.getMessage().getBody(String.class)).orElseThrow();
        exchange.setVariable("bundleId", bundle.bundleId());
        BankHeaders.applyClient(exchange, "GET", "/payments-psd2/v1/authorizations/" + bundle.authorizationId(), token, bank);
        exchange.getMessage().setBody(null);
    }

    /** The payments in the verified authorization that no order holds (and the bank has not deleted). */
    public List<String> strays(Exchange exchange) throws SignedResponses.UnverifiedResponse {
        Map<String, Object> authorization = responses.verify(exchange);
        Set<String> ours = store.paymentIdsOf(exchange.getVariable("bundleId", String.class));
        Object payments = authorization.get("payments");
        List<String> strays = payments instanceof List<?> list ? list.stream()
                .filter(p -> p instanceof Map<?, ?> m && !"Deleted".equals(m.get("status")) && !ours.contains(String.valueOf(m.get("paymentId"))))
                .map(p -> String.valueOf(((Map<?, ?>) p).get("paymentId"))).toList() : List.of();
        strays.forEach(id -> LOG.warn("Bundle {}: payment {} in its authorization belongs to no order (an attempt whose answer"
                + " was lost); deleted at the bank before the SCA", exchange.getVariable("bundleId", String.class), id));
        return strays;
    }

    /** DELETE of the stray payment in the body. */
    public void deleteRequest(Exchange exchange) {
        BankHeaders.applyClient(exchange, "DELETE", "/payments-psd2/v1/sepa-payments/" + exchange.getMessage().getBody(String.class),
                token, bank);
        exchange.getMessage().setBody(null);
    }

    /** The review could not be completed: the bundle waits and is reviewed again next round, not sent to SCA. */
    public void failed(Exchange exchange) {
        BankError error = BankError.caught(exchange, "review the authorization", BankError.Call.REPEATABLE);
        LOG.warn("Bundle {}: authorization not reviewed yet, SCA asked for later: {}", exchange.getVariable("bundleId", String.class),
                error.getMessage());
    }
}
