package org.pisbridge.bankdoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pisbridge.bankdoc.RunningBank.PAYEE;
import static org.pisbridge.bankdoc.RunningBank.PAYER;
import static org.pisbridge.bankdoc.RunningBank.PAYERS_OTHER_ACCOUNT;
import static org.pisbridge.bankdoc.RunningBank.USER;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The document's exemption flow: after one SCA, small payments (and transfers between the customer's own OP
 * accounts) are paid by reusing the authorization — refresh grant, creation with the customer headers, exemption
 * JWT, jwt-bearer grant, submission — and payments outside the conditions are refused.
 */
class ExemptionGrantTest {
    private static final int MAX_STATUS_READS = 20;

    @TempDir
    Path dataDir;
    private RunningBank bank;
    private DocumentTpp tpp;
    /** The newest refresh token: a refresh grant may renew it. */
    private String refreshToken;

    @BeforeEach
    void scaOnce() {
        bank = RunningBank.start(dataDir);
        tpp = bank.tpp();
        String clientToken = tpp.clientCredentialsToken().accessToken();
        BankResponse created = tpp.createPayment(clientToken, "sca", SepaPayment.of(PAYER, PAYEE, "50.00").json(), null)
                .expect(201, 200);
        var grant = StrongCustomerAuthentication.approve(bank, tpp, USER, created.field("authorizationId"));
        tpp.submit(grant.accessToken(), created.field("paymentId"), "sca-submission").expect(200, 201);
        refreshToken = grant.refreshToken();
        assertThat(refreshToken).isNotBlank();
    }

    @AfterEach
    void stopBank() {
        bank.close();
    }

    @Test
    void smallPaymentIsPaidWithoutAnotherSca() {
        Exemption exemption = pay(SepaPayment.of(PAYER, PAYEE, "5.00"));

        assertThat(exemption.refusedAt()).as(exemption.toString()).isNull();
        assertThat(exemption.finalStatus()).isEqualTo("Credited");
        assertThat(bank.ledger().payments.get(exemption.paymentId()).status.name()).isEqualTo("Credited");
    }

    @Test
    void paymentOfThirtyEurosIsRefused() {
        Exemption exemption = pay(SepaPayment.of(PAYER, PAYEE, "30.00"));

        assertRefused(exemption);
    }

    /** "the user has submitted fewer than 5 exemption payments since last SCA": five pass, the sixth does not. */
    @Test
    void sixthSmallPaymentSinceTheScaIsRefused() {
        for (int i = 1; i <= 5; i++) {
            Exemption exemption = pay(SepaPayment.of(PAYER, PAYEE, "1.00"));
            assertThat(exemption.finalStatus()).as("payment %d: %s", i, exemption).isEqualTo("Credited");
        }

        assertRefused(pay(SepaPayment.of(PAYER, PAYEE, "1.00")));
    }

    /**
     * "the cumulative value of the customer's exemption payments since latest SCA is less than 100 euros". The
     * project reads this with the payment itself counted (its issue: "the one crossing 100 EUR" falls back to SCA):
     * three payments of 25 pass, the fourth would bring the total to 100 and is refused, a smaller one still passes.
     */
    @Test
    void paymentThatWouldBringTheTotalToOneHundredEurosIsRefused() {
        for (int i = 1; i <= 3; i++) {
            Exemption exemption = pay(SepaPayment.of(PAYER, PAYEE, "25.00"));
            assertThat(exemption.finalStatus()).as("payment %d: %s", i, exemption).isEqualTo("Credited");
        }

        assertRefused(pay(SepaPayment.of(PAYER, PAYEE, "25.00")));
        assertThat(pay(SepaPayment.of(PAYER, PAYEE, "24.99")).finalStatus()).isEqualTo("Credited");
    }

    /** "The payment is a transfer between two OP accounts owned by the customer": any amount. */
    @Test
    void transferOfALargeAmountBetweenTheCustomersOwnAccountsIsPaid() {
        Exemption exemption = pay(SepaPayment.of(PAYER, PAYERS_OTHER_ACCOUNT, "2500.00"));

        assertThat(exemption.refusedAt()).as(exemption.toString()).isNull();
        assertThat(exemption.finalStatus()).isEqualTo("Credited");
    }

    /**
     * One payment through the exemption flow's steps 2–5. "If the exemption flow fails at any point" the payment is
     * not paid: the result says at which step the bank refused, or the final status.
     */
    private Exemption pay(SepaPayment payment) {
        TokenResponse user = tpp.refresh(refreshToken, "payments");
        if (!user.ok()) {
            return Exemption.refused("refresh grant", user.response(), null);
        }
        if (user.refreshToken() != null) {
            refreshToken = user.refreshToken();
        }
        BankResponse created = tpp.paymentCreation(user.accessToken(), UUID.randomUUID().toString(), payment.json())
                .customer("198.51.100.23", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
                        ZonedDateTime.of(2025, 3, 2, 19, 43, 31, 0, ZoneOffset.UTC))
                .send();
        if (!created.isSuccess()) {
            return Exemption.refused("creation", created, null);
        }
        String paymentId = created.field("paymentId");
        String assertion = tpp.exemptionAssertion(created.field("authorizationId"), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        TokenResponse exemption = tpp.jwtBearer(assertion);
        if (!exemption.ok()) {
            return Exemption.refused("jwt-bearer grant", exemption.response(), paymentId);
        }
        assertThat(exemption.tokenType()).isEqualToIgnoringCase("bearer");
        BankResponse submitted = tpp.submit(exemption.accessToken(), paymentId, "x-" + paymentId);
        if (!submitted.isSuccess()) {
            return Exemption.refused("submission", submitted, paymentId);
        }
        String status = tpp.pollToFinal(exemption.accessToken(), paymentId, MAX_STATUS_READS).field("status");
        return new Exemption(paymentId, null, null, status);
    }

    private void assertRefused(Exemption exemption) {
        assertThat(exemption.finalStatus()).as(exemption.toString()).isNotEqualTo("Credited");
        if (exemption.refusedAt() != null) {
            assertThat(exemption.response().status()).isBetween(400, 499);
        }
        if (exemption.paymentId() != null) {
            assertThat(bank.ledger().payments.get(exemption.paymentId()).status.name()).isNotEqualTo("Credited");
        }
    }

    /** What became of one exemption payment. */
    private record Exemption(String paymentId, String refusedAt, BankResponse response, String finalStatus) {
        static Exemption refused(String step, BankResponse response, String paymentId) {
            return new Exemption(paymentId, step, response, null);
        }

        @Override
        public String toString() {
            return refusedAt == null ? "final status " + finalStatus
                    : "refused at the " + refusedAt + " with " + response.status() + ": " + response.text();
        }
    }
}
