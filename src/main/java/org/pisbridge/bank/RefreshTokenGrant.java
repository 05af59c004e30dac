package org.pisbridge.bank;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.pisbridge.oauth.ClientAuthentication;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.store.PayerGrants;

/**
 * The refresh-token grant, the one way every stage renews a user's access (the exemption flow,
 * a bundle's submissions). The bank consumes the token and rotates it, so the grant runs under the
 * payer's row lock ({@link PayerGrants#rotate}) and is never sent again blindly: an answer lost on
 * the wire is recovered by sending the same token once more, which a bank honours when it had not
 * processed it (or keeps the old token valid for a grace period); if it no longer does, the token
 * is gone and a new SCA is needed.
 */
public final class RefreshTokenGrant {
    private final BankCalls calls;
    private final ClientAuthentication authentication;
    private final TokenCipher cipher;
    private final PayerGrants grants;
    private final Clock clock;

    public RefreshTokenGrant(BankCalls calls, ClientAuthentication authentication, TokenCipher cipher, PayerGrants grants,
                             Clock clock) {
        this.calls = calls;
        this.authentication = authentication;
        this.cipher = cipher;
        this.grants = grants;
        this.clock = clock;
    }

    /**
     * Renews the access of the payer's grant ({@code bundleId} null) or of a bundle's SCA, with
     * {@code scope} (null: the grant's own).
     *
     * @return the token endpoint's answer; empty when no refresh token is held
     * @throws PayerGrants.RefreshTokenGone when the bank no longer honours the token
     * @throws BankError when the bank could not be asked (the token is kept)
     */
    public Optional<Map<String, Object>> renew(String operation, String payerIban, String bundleId, String scope) {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] answer = new Map[1];
        boolean held = grants.rotate(payerIban, bundleId, used -> {
            answer[0] = post(operation, cipher.decrypt(used), scope);
            Object rotated = answer[0].get("refresh_token");
            return rotated == null ? null : cipher.encrypt(rotated.toString());
        }, clock.instant());
        return held ? Optional.of(answer[0]) : Optional.empty();
    }

    private Map<String, Object> post(String operation, String refreshToken, String scope) {
        String form = scope == null
                ? authentication.form("grant_type", "refresh_token", "refresh_token", refreshToken)
                : authentication.form("grant_type", "refresh_token", "refresh_token", refreshToken, "scope", scope);
        try {
            return calls.grant(operation, form);
        } catch (BankError e) {
            if (e.invalidGrant()) {
                throw new PayerGrants.RefreshTokenGone(e.getMessage(), e);
            }
            if (e.outcome() != BankError.Outcome.UNKNOWN) {
                throw e;
            }
        }
        // the answer was lost: the bank may have rotated the token; asking again with it tells
        try {
            return calls.grant(operation, form);
        } catch (BankError e) {
            if (e.invalidGrant()) {
                throw new PayerGrants.RefreshTokenGone("the answer to a refresh grant was lost and the bank no longer"
                        + " honours the token (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }
}
