package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.bank.BankCalls;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BankError;
import org.pisbridge.cli.RevokeCommand;
import org.pisbridge.oauth.ClientAuthentication;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * A payer's withdrawn authority arriving on pis.grants.revoke: the stored refresh token is
 * revoked at the bank (RFC 7009) with the access tokens it ended, and the grant is removed.
 */
class GrantRevocationTest {
    private static final String PAYER = "FI4950009420028730";

    /** The tokens the bank issued for the payer's SCA: the refresh token and the access token it came with. */
    private record IssuedTokens(String refreshToken, String accessToken) {
    }

    private static IssuedTokens paidAfterSca(FlowHarness h, Path dir, String orderId) throws Exception {
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "12.00");
        h.user().approve(URI.create(sca.get("link").toString()));
        assertThat(h.finalEvent(orderId).get("state")).isEqualTo("COMPLETED");
        TokenCipher cipher = TokenCipher.fromKeyFile(dir.resolve("keys/token.key"));
        String refreshToken = cipher.decrypt(storedRefreshToken(h));
        String accessToken = h.bank.state().tokens.values().stream()
                .filter(t -> t.kind == TokenGrant.Kind.USER && t.authorizationId.equals(sca.get("authorizationId")))
                .map(t -> t.token).findFirst().orElseThrow();
        assertThat(h.bank.state().tokens.get(accessToken).isActive(Instant.now())).isTrue();
        return new IssuedTokens(refreshToken, accessToken);
    }

    private static void assertRevoked(FlowHarness h, IssuedTokens issued) {
        assertThat(h.bank.state().tokens.get(issued.refreshToken()).revoked).isTrue();
        assertThat(h.bank.state().tokens.get(issued.accessToken()).isActive(Instant.now())).isFalse();
    }

    @Test
    void withdrawnAuthorityRevokesTheRefreshTokenAndItsAccessTokens(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            IssuedTokens issued = paidAfterSca(h, dir, "revoke-1");

            h.session.createProducer(h.session.createQueue("pis.grants.revoke"))
                    .send(h.session.createTextMessage(PAYER));

            for (int i = 0; i < 100 && storedRefreshToken(h) != null; i++) {
                Thread.sleep(100);
            }
            assertThat(storedRefreshToken(h)).as("grant removed").isNull();
            assertRevoked(h, issued);
            // the bank refuses the refresh token from now on
            BankConnection bank = h.runtime.context().getRegistry().lookupByNameAndType("bankConnection", BankConnection.class);
            BankCalls calls = new BankCalls(h.runtime.context().createProducerTemplate());
            assertThatThrownBy(() -> calls.token("refresh", new ClientAuthentication(bank).form(
                    "grant_type", "refresh_token", "refresh_token", issued.refreshToken(), "scope", "payments")))
                    .isInstanceOfSatisfying(BankError.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void operatorRevokesAGrantWithTheRevokeCommand(@TempDir Path dir) throws Exception {
        Path config = Path.of("config/application.properties");
        Map<String, String> toRuntime;
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            IssuedTokens issued = paidAfterSca(h, dir, "revoke-2");
            toRuntime = Map.of("pis.broker.embedded.port", String.valueOf(h.brokerPort), "pis.sandbox.enabled", "false");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // as an operator types it: spaces and lower case
            assertThat(RevokeCommand.run(config, toRuntime, List.of("fi49 5000 9420 0287 30"), new PrintStream(out, true)))
                    .isZero();
            assertThat(out.toString()).startsWith("REVOKED").contains(PAYER);
            assertThat(storedRefreshToken(h)).as("grant removed").isNull();
            assertRevoked(h, issued);

            out.reset();
            assertThat(RevokeCommand.run(config, toRuntime, List.of(PAYER), new PrintStream(out, true))).isZero();
            assertThat(out.toString()).startsWith("NO_GRANT");

            out.reset();
            assertThat(RevokeCommand.run(config, toRuntime, List.of("FI4950009420028731"), new PrintStream(out, true)))
                    .isEqualTo(2);
            assertThat(out.toString()).contains("payer IBAN", "checksum");
        }
        // the runtime stopped: nobody holds the grants, the command says so
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(RevokeCommand.run(config, toRuntime, List.of(PAYER), new PrintStream(out, true))).isEqualTo(1);
        assertThat(out.toString()).contains("cannot be reached", "./pis-bridge run");
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
