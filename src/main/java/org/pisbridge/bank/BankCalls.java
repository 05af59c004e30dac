package org.pisbridge.bank;

import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Calls the bank's OAuth endpoints through the {@code oauth-token} and {@code oauth-revoke}
 * routes (which carry the retry policy), turning failures into {@link BankError}s.
 */
public final class BankCalls {
    private final ProducerTemplate template;

    public BankCalls(ProducerTemplate template) {
        this.template = template;
    }

    /** POSTs a form to the token endpoint; returns the JSON answer. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> token(String operation, String form) {
        try {
            return template.requestBody("direct:oauth-token", form, Map.class);
        } catch (CamelExecutionException e) {
            throw asBankError(operation, e.getCause() != null ? e.getCause() : e);
        }
    }

    /** POSTs a form to the revocation endpoint (RFC 7009); the answer has no body. */
    public void revoke(String operation, String form) {
        try {
            template.requestBody("direct:oauth-revoke", form);
        } catch (CamelExecutionException e) {
            throw asBankError(operation, e.getCause() != null ? e.getCause() : e);
        }
    }

    public static BankError asBankError(String operation, Throwable failure) {
        if (failure instanceof BankError b) {
            return b;
        }
        if (failure instanceof HttpOperationFailedException http) {
            return new BankError(operation, http.getStatusCode(), http.getResponseBody());
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return new BankError(operation, failure, true);
            }
        }
        return new BankError(operation, failure, false);
    }
}
