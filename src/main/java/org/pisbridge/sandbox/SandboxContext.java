package org.pisbridge.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.List;

import java.time.Clock;

/**
 * What every part of the sandbox shares.
 *
 * @param apiBaseUrl       e.g. https://localhost:PORT — also the audience request objects must carry
 * @param authorizeBaseUrl e.g. https://localhost:PORT — also the iss of ID tokens
 * @param paymentsKeys     the keys signing business responses, rolled over on request
 * @param idTokenKeys      the keys signing ID tokens, rolled over on request
 */
public record SandboxContext(
        SandboxSettings settings,
        SandboxKeys keys,
        SandboxState state,
        Faults faults,
        Clock clock,
        String apiBaseUrl,
        String authorizeBaseUrl,
        SigningKeys paymentsKeys,
        SigningKeys idTokenKeys) {

    /**
     * A context whose signing keys start with those in {@code keys}. The ID-token JWKS publishes the keys
     * of {@code settings.idTokenAlgorithm()} and one key of the other algorithm that signs nothing valid
     * (as a bank publishing several keys does): with RS256 an EC key beside the bank's RSA key; with
     * ES256 the bank's RSA key from {@code keys}, kept published as a bank moving off RS256 would, beside
     * an EC key made at start (not kept across restarts: a restart looks like a rollover to a TPP).
     */
    public SandboxContext(SandboxSettings settings, SandboxKeys keys, SandboxState state, Faults faults, Clock clock,
                          String apiBaseUrl, String authorizeBaseUrl) {
        this(settings, keys, state, faults, clock, apiBaseUrl, authorizeBaseUrl,
                new SigningKeys(keys.paymentsSigningKey(), n -> ecKey("payments-" + n), List.of()),
                idTokenKeys(settings.idTokenAlgorithm(), keys.idTokenSigningKey()));
    }

    private static SigningKeys idTokenKeys(JWSAlgorithm algorithm, JWK bankRsaKey) {
        if (JWSAlgorithm.ES256.equals(algorithm)) {
            return new SigningKeys(ecKey("id-token-ec-1"), n -> ecKey("id-token-ec-" + n), List.of(bankRsaKey));
        }
        return new SigningKeys(bankRsaKey, n -> generated(() -> new RSAKeyGenerator(2048)
                .keyID("id-token-" + n).generate()), List.of(ecKey("id-token-ec")));
    }

    private static JWK ecKey(String kid) {
        return generated(() -> new ECKeyGenerator(Curve.P_256).keyID(kid).generate());
    }

    private interface KeyMaking {
        JWK make() throws JOSEException;
    }

    private static JWK generated(KeyMaking making) {
        try {
            return making.make();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
