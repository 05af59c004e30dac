package org.pisbridge.bank;

import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

/**
 * Calls the bank's OAuth endpoints through the {@code oauth-token}, {@code oauth-grant} and
 * {@code oauth-revoke} routes (which carry the retry policies), turning failures into
 * {@link BankError}s classified by the failure model.
 */
public final class BankCalls {
    private final ProducerTemplate template;

    public BankCalls(ProducerTemplate template) {
        this.template = template;
    }

    /** POSTs a repeatable grant (client credentials) to the token endpoint; returns the JSON answer. */
    public Map<String, Object> token(String operation, String form) {
        return post("direct:oauth-token", operation, form, BankError.Call.REPEATABLE);
    }

    /**
     * POSTs a grant the bank consumes (authorization code, refresh token, jwt-bearer assertion):
     * sent again only when the bank said it did not process it. A failure with outcome UNKNOWN
     * means the grant may be spent: the caller must not send it again blindly.
     */
    public Map<String, Object> grant(String operation, String form) {
        return post("direct:oauth-grant", operation, form, BankError.Call.CONSUMES_GRANT);
    }

    /** POSTs a form to the revocation endpoint (RFC 7009); the answer has no body. */
    public void revoke(String operation, String form) {
        try {
            template.requestBody("direct:oauth-revoke", form);
        } catch (CamelExecutionException e) {
            throw BankError.of(operation, e.getCause() != null ? e.getCause() : e, BankError.Call.REPEATABLE);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> post(String route, String operation, String form, BankError.Call call) {
        try {
            return template.requestBody(route, form, Map.class);
        } catch (CamelExecutionException e) {
            throw BankError.of(operation, e.getCause() != null ? e.getCause() : e, call);
        }
    }
}
