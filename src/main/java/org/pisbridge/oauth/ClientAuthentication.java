package org.pisbridge.oauth;

import org.pisbridge.bank.BankConnection;

/**
 * How this client proves who it is in every form it posts to the bank's token and revocation
 * endpoints, by the configured {@code pis.bank.token-endpoint-auth-method}:
 * {@code client_secret_post} sends client_id and client_secret (OP); {@code tls_client_auth}
 * (RFC 8705) sends client_id only, the mTLS certificate being the credential.
 */
public final class ClientAuthentication {
    private final BankConnection bank;

    public ClientAuthentication(BankConnection bank) {
        this.bank = bank;
    }

    /** The form's own name/value pairs followed by the client authentication pairs, encoded. */
    public String form(String... pairs) {
        String clientId = bank.credentials().clientId();
        String secret = null;
        if (bank.settings().tokenEndpointAuthMethod().equals("client_secret_post")) {
            secret = bank.credentials().clientSecret();
            if (secret == null || secret.isBlank()) {
                throw new IllegalStateException("client_secret_post needs client-secret in the bank credentials file "
                        + bank.settings().credentialsFile());
            }
        }
        String[] all = java.util.Arrays.copyOf(pairs, pairs.length + 4);
        all[pairs.length] = "client_id";
        all[pairs.length + 1] = clientId;
        all[pairs.length + 2] = "client_secret";
        all[pairs.length + 3] = secret;
        return Forms.encode(all);
    }
}
