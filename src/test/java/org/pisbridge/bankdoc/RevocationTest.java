package org.pisbridge.bankdoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pisbridge.bankdoc.RunningBank.PAYEE;
import static org.pisbridge.bankdoc.RunningBank.PAYER;
import static org.pisbridge.bankdoc.RunningBank.USER;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 7009 at /oauth/revoke: "revocation of a refresh token will also trigger the revocation of all associated access tokens". */
class RevocationTest {
    @TempDir
    Path dataDir;
    private RunningBank bank;
    private DocumentTpp tpp;
    private String paymentId;
    private StrongCustomerAuthentication.UserGrant grant;

    @BeforeEach
    void scaOnce() {
        bank = RunningBank.start(dataDir);
        tpp = bank.tpp();
        BankResponse created = tpp.createPayment(tpp.clientCredentialsToken().accessToken(), "revocation",
                SepaPayment.of(PAYER, PAYEE, "7.00").json(), null).expect(201, 200);
        paymentId = created.field("paymentId");
        grant = StrongCustomerAuthentication.approve(bank, tpp, USER, created.field("authorizationId"));
    }

    @AfterEach
    void stopBank() {
        bank.close();
    }

    @Test
    void revokedRefreshTokenCannotBeUsedAndEndsItsAccessTokens() {
        TokenResponse refreshed = tpp.refresh(grant.refreshToken(), null);
        String accessFromRefresh = refreshed.accessToken();
        String refreshToken = refreshed.refreshToken() != null ? refreshed.refreshToken() : grant.refreshToken();
        tpp.paymentStatus(accessFromRefresh, paymentId).expect(200);
        tpp.paymentStatus(grant.accessToken(), paymentId).expect(200);

        tpp.revoke(refreshToken, "refresh_token").expect(200);

        TokenResponse again = tpp.refresh(refreshToken, null);
        assertThat(again.response().status()).isEqualTo(400);
        assertThat(again.error()).isEqualTo("invalid_grant");
        tpp.paymentStatus(accessFromRefresh, paymentId).expect(401);
        tpp.paymentStatus(grant.accessToken(), paymentId).expect(401);
    }

    @Test
    void revokedAccessTokenCannotBeUsedWhileItsRefreshTokenStillWorks() {
        tpp.revoke(grant.accessToken(), "access_token").expect(200);

        tpp.paymentStatus(grant.accessToken(), paymentId).expect(401);
        assertThat(tpp.refresh(grant.refreshToken(), null).accessToken()).isNotBlank();
    }

    /** RFC 7009 section 2.2: an invalid token is no error. */
    @Test
    void unknownTokenIsAnsweredWithOk() {
        tpp.revoke("no-such-token", null).expect(200);
    }

    /** RFC 7009 section 2.1: the server checks the token was issued to the client asking to revoke it. */
    @Test
    void anotherClientCannotRevokeTheToken() {
        BankResponse other = tpp.register(RegistrationTest.metadata("client_secret_post",
                RegistrationTest.signingKey("other"), RunningBank.REDIRECT_URI)).expect(201);
        DocumentTpp otherClient = tpp.as(tpp.identity().withClient(other.field("client_id"),
                other.field("client_secret")));

        otherClient.revoke(grant.refreshToken(), "refresh_token");

        assertThat(tpp.refresh(grant.refreshToken(), null).accessToken()).isNotBlank();
    }
}
