package org.pisbridge.bank;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.pisbridge.oauth.ClientCredentials;

/**
 * Before a call the bank refused with 401 is sent once more: the cached client-credentials token
 * is dropped (a bank may invalidate it before its expiry) and a new one is put on the call.
 */
public final class ClientTokenRenewal implements Processor {
    private final ClientCredentials token;

    public ClientTokenRenewal(ClientCredentials token) {
        this.token = token;
    }

    @Override
    public void process(Exchange exchange) {
        token.forget();
        exchange.getMessage().setHeader("Authorization", token.bearer());
    }
}
