package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.bank.BankCalls;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankError;
import org.pisbridge.oauth.ClientAuthentication;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * A payer's withdrawn authority arriving on pis.grants.revoke: the stored refresh token is
 * revoked at the bank (RFC 7009) with the access tokens it ended, and the grant is removed.
 */
class GrantRevocationTest {
    private static final String PAYER = "FI4950009420028730";

    @Test
    void withdrawnAuthorityRevokesTheRefreshTokenAndItsAccessTokens(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            Map<String, Object> sca = h.singleOrderAwaitingSca("revoke-1", "12.00");
            h.user().approve(URI.create(sca.get("link").toString()));
            assertThat(h.finalEvent("revoke-1").get("state")).isEqualTo("COMPLETED");
            TokenCipher cipher = TokenCipher.fromKeyFile(dir.resolve("keys/token.key"));
            String refreshToken = cipher.decrypt(storedRefreshToken(h));
            String accessToken = h.bank.state().tokens.values().stream()
                    .filter(t -> t.kind == TokenGrant.Kind.USER && t.authorizationId.equals(sca.get("authorizationId")))
                    .map(t -> t.token).findFirst().orElseThrow();
            assertThat(h.bank.state().tokens.get(accessToken).isActive(Instant.now())).isTrue();

            h.session.createProducer(h.session.createQueue("pis.grants.revoke"))
                    .send(h.session.createTextMessage(PAYER));

            for (int i = 0; i < 100 && storedRefreshToken(h) != null; i++) {
                Thread.sleep(100);
            }
            assertThat(storedRefreshToken(h)).as("grant removed").isNull();
            assertThat(h.bank.state().tokens.get(refreshToken).revoked).isTrue();
            assertThat(h.bank.state().tokens.get(accessToken).isActive(Instant.now())).isFalse();
            // the bank refuses the refresh token from now on
            BankConnection bank = h.runtime.context().getRegistry().lookupByNameAndType("bankConnection", BankConnection.class);
            BankCalls calls = new BankCalls(h.runtime.context().createProducerTemplate());
            assertThatThrownBy(() -> calls.token("refresh", new ClientAuthentication(bank).form(
                    "grant_type", "refresh_token", "refresh_token", refreshToken, "scope", "payments")))
                    .isInstanceOfSatisfying(BankError.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    private static String storedRefreshToken(FlowHarness h) throws Exception {
        DataSource ds = h.runtime.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection();
             var q = c.prepareStatement("select refresh_token from payer_grant where payer_iban = ?")) {
            q.setString(1, PAYER);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
