package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.sandbox.Faults;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * A bundle authorised by SCA whose submission comes only after the user's access token expired
 * (the bank unavailable, or the runtime down, for longer than the token's life): the access is
 * renewed with the SCA's refresh token and the payment made once; when the bank no longer honours
 * the refresh token, the unsubmitted payment is created again under a new SCA and paid once.
 */
class AccessRenewalTest {
    private static final String PAYMENTS = "/payments-psd2/v1/sepa-payments";
    private static final String PAYER = "FI4950009420028730";

    /** Approves the order's SCA while every submission fails; returns the tokens the bank issued for that SCA. */
    private static List<TokenGrant> authorisedWhileTheBankIsDown(FlowHarness h, String orderId) throws Exception {
        h.bank.faults().status("PUT", PAYMENTS, 503, 1_000);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "16.00");
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).body()).contains("Payments authorised");
        assertThat(h.nextEventInState("AUTHORIZED", 60)).containsEntry("orderId", orderId);
        return h.bank.state().tokens.values().stream()
                .filter(t -> sca.get("authorizationId").equals(t.authorizationId)).toList();
    }

    /** The runtime's record of the SCA's access token says it expired (as after a long stop). */
    private static void accessExpiredInTheRuntime(FlowHarness h, List<TokenGrant> issued) throws Exception {
        DataSource ds = h.runtime.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update bundle set access_expires_at = ? where authorization_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minusSeconds(5)));
            ps.setString(2, issued.get(0).authorizationId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static TokenGrant refreshToken(List<TokenGrant> issued) {
        return issued.stream().filter(t -> t.kind == TokenGrant.Kind.REFRESH).findFirst().orElseThrow();
    }

    @Test
    void anExpiredAccessIsRenewedWithTheScasRefreshTokenAndThePaymentMadeOnce(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            List<TokenGrant> issued = authorisedWhileTheBankIsDown(h, "renew-1");
            TokenGrant firstRefresh = refreshToken(issued);

            accessExpiredInTheRuntime(h, issued);
            for (int i = 0; i < 100 && !firstRefresh.revoked; i++) {
                Thread.sleep(100);
            }
            assertThat(firstRefresh.revoked).as("the SCA's refresh token used (and rotated) for a new access token").isTrue();
            // the old access token is of no use from now on; the payment goes with the renewed one
            issued.stream().filter(t -> t.kind == TokenGrant.Kind.USER).forEach(t -> t.expiresAt = Instant.now().minusSeconds(1));
            h.bank.faults().clear();
            Map<String, Object> last = h.finalEvent("renew-1");

            assertThat(last.get("state")).isEqualTo("COMPLETED");
            assertThat(h.bank.bookings(last.get("paymentId").toString())).isEqualTo(1);
            // the payer's grant holds the rotated refresh token, still honoured for later exemption payments
            String stored = TokenCipher.fromKeyFile(dir.resolve("keys/token.key")).decrypt(storedGrant(h));
            assertThat(stored).isEqualTo(firstRefresh.replacedBy);
            assertThat(h.bank.state().tokens.get(stored).isActive(Instant.now())).isTrue();
        }
    }

    @Test
    void aRefreshTokenTheBankNoLongerHonoursAsksForANewScaAndPaysOnce(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            List<TokenGrant> issued = authorisedWhileTheBankIsDown(h, "renew-2");
            refreshToken(issued).revoked = true;
            String firstPayment = h.bank.state().payments.values().stream().filter(p -> p.message.contains("renew-2"))
                    .findFirst().orElseThrow().paymentId;

            // the renewal, refused, makes the unsubmitted payment start again: a new SCA is asked for, the order stays open
            accessExpiredInTheRuntime(h, issued);
            Map<String, Object> again = h.nextEventInState("BUNDLED", 120);
            assertThat(again).containsEntry("orderId", "renew-2");
            assertThat(again.get("reason").toString()).contains("invalid_grant", "new SCA");
            h.bank.faults().clear();
            Map<String, Object> sca = h.scaEventFor("16.00");
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).body()).contains("Payments authorised");

            Map<String, Object> last = h.finalEvent("renew-2");
            assertThat(last.get("state")).isEqualTo("COMPLETED");
            assertThat(last.get("paymentId")).isNotEqualTo(firstPayment);
            assertThat(h.bank.bookings(last.get("paymentId").toString())).isEqualTo(1);
            assertThat(h.bank.bookings(firstPayment)).isZero();
        }
    }

    @Test
    void aLostAnswerToTheRefreshGrantIsNeverReplayedBlindlyAndANewScaPaysOnce(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of())) {
            List<TokenGrant> issued = authorisedWhileTheBankIsDown(h, "renew-3");
            TokenGrant firstRefresh = refreshToken(issued);
            // the bank rotates the refresh token for the renewal, but its answer never arrives
            h.bank.faults().of(Faults.Kind.DROP_AFTER_PROCESSING, "POST", "/oauth/token", 1);
            accessExpiredInTheRuntime(h, issued);

            Map<String, Object> again = h.nextEventInState("BUNDLED", 120);
            assertThat(again).containsEntry("orderId", "renew-3");
            assertThat(again.get("reason").toString()).contains("lost", "new SCA");
            assertThat(firstRefresh.revoked).as("the bank rotated the token the lost answer carried").isTrue();
            h.bank.faults().clear();
            Map<String, Object> sca = h.scaEventFor("16.00");
            assertThat(h.user().approve(URI.create(sca.get("link").toString())).body()).contains("Payments authorised");
            Map<String, Object> last = h.finalEvent("renew-3");
            assertThat(last.get("state")).isEqualTo("COMPLETED");
            assertThat(h.bank.state().payments.values().stream().filter(p -> p.message.contains("renew-3"))
                    .mapToInt(p -> h.bank.bookings(p.paymentId)).sum()).isEqualTo(1);
        }
    }

    private static String storedGrant(FlowHarness h) throws Exception {
        DataSource ds = h.runtime.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection();
             PreparedStatement q = c.prepareStatement("select refresh_token from payer_grant where payer_iban = ?")) {
            q.setString(1, PAYER);
            try (var rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
