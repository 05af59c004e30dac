package org.pisbridge.oauth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.pisbridge.bank.BankCalls;
import org.pisbridge.bank.BankConnection;

/**
 * The client-credentials access token (document step 2), cached and renewed a configured time
 * before it expires. OP sends {@code expires_in} as a string ("86399"), others as a number.
 */
public final class ClientCredentials {
    private final BankCalls calls;
    private final BankConnection bank;
    private final ClientAuthentication authentication;
    private final Clock clock;
    private String accessToken;
    private Instant renewAt = Instant.MIN;

    public ClientCredentials(BankCalls calls, BankConnection bank, Clock clock) {
        this.calls = calls;
        this.bank = bank;
        this.authentication = new ClientAuthentication(bank);
        this.clock = clock;
    }

    public synchronized String bearer() {
        if (accessToken == null || !clock.instant().isBefore(renewAt)) {
            Map<String, Object> answer = calls.token("client-credentials token", authentication.form(
                    "grant_type", "client_credentials",
                    "scope", bank.settings().clientCredentialsScope()));
            accessToken = Forms.required(answer, "access_token");
            long expiresIn = Forms.seconds(answer.get("expires_in"), 3600);
            renewAt = clock.instant().plusSeconds(expiresIn).minus(bank.settings().tokenRenewBefore());
        }
        return "Bearer " + accessToken;
    }

    /** Forgets the token, e.g. after the bank refused it. */
    public synchronized void forget() {
        accessToken = null;
    }
}
