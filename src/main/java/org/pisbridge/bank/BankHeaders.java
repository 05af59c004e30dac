package org.pisbridge.bank;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Headers every business call carries (document step 3). */
final class BankHeaders {
    private BankHeaders() {
    }

    /** Clears the exchange's headers and sets the call's method, path and the bank's headers. */
    static void apply(Message m, String method, String path, String bearer, BankConnection bank) {
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_METHOD, method);
        m.setHeader(Exchange.HTTP_PATH, path);
        m.setHeader("Authorization", bearer);
        m.setHeader("x-api-key", bank.credentials().apiKey());
        m.setHeader("x-fapi-financial-id", bank.settings().financialId());
        m.setHeader("Accept", "application/json");
    }
}
