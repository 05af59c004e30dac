package org.pisbridge.oauth;

import java.util.Optional;
import org.pisbridge.bank.BankCalls;
import org.pisbridge.store.PayerGrants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A payer's authority withdrawn: its stored refresh token is revoked at the bank (RFC 7009; the
 * bank then also ends the access tokens issued from it) and the grant is forgotten, so the
 * payer's next payment needs a new SCA.
 */
public final class GrantRevocation {
    private static final Logger LOG = LoggerFactory.getLogger(GrantRevocation.class);

    private final PayerGrants grants;
    private final TokenCipher cipher;
    private final BankCalls calls;
    private final ClientAuthentication authentication;

    public GrantRevocation(PayerGrants grants, TokenCipher cipher, BankCalls calls, ClientAuthentication authentication) {
        this.grants = grants;
        this.cipher = cipher;
        this.calls = calls;
        this.authentication = authentication;
    }

    /**
     * Revokes the payer's grant; a payer without one is left as it is. Returns what was done, in
     * words, as the answer to an operator's {@code pis-bridge revoke}.
     */
    public String revoke(String payerIban) {
        Optional<PayerGrants.Grant> stored = grants.of(payerIban);
        if (stored.isEmpty()) {
            LOG.info("Payer {} has no stored grant to revoke", payerIban);
            return "NO_GRANT: payer " + payerIban + " has no stored grant; nothing to revoke";
        }
        calls.revoke("refresh token revocation", authentication.form(
                "token", cipher.decrypt(stored.get().encryptedRefreshToken()),
                "token_type_hint", "refresh_token"));
        grants.remove(payerIban);
        LOG.info("Grant of payer {} revoked at the bank and removed", payerIban);
        return "REVOKED: the refresh token of payer " + payerIban + " is revoked at the bank (with its access tokens)"
                + " and the grant removed; the payer's next payment needs a new SCA";
    }
}
