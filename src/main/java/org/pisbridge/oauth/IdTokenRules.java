package org.pisbridge.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import org.pisbridge.runtime.RuntimeSettings;

/**
 * What a bank promises about its ID tokens, per bank profile: the one algorithm it signs them with
 * (nothing else is accepted, whatever key a token names), how old {@code iat} may be, and whether
 * {@code sub} is the authorizationId (OP) or only present.
 */
public record IdTokenRules(JWSAlgorithm algorithm, Duration maxAge, boolean subIsAuthorizationId) {

    public static IdTokenRules from(RuntimeSettings s) {
        String sub = s.string("pis.bank.id-token-sub", "authorizationId");
        if (!sub.equals("authorizationId") && !sub.equals("present")) {
            throw new IllegalStateException("Setting pis.bank.id-token-sub must be authorizationId or present, not '" + sub + "'");
        }
        return new IdTokenRules(JWSAlgorithm.parse(s.string("pis.bank.id-token-algorithm", "RS256")),
                Duration.ofSeconds(s.integer("pis.bank.id-token-max-age-seconds", 600)), sub.equals("authorizationId"));
    }
}
