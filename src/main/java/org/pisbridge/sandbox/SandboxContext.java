package org.pisbridge.sandbox;

import com.nimbusds.jose.JOSEException;
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
     * A context whose signing keys start with those in {@code keys}; the ID-token JWKS also publishes
     * an EC key that signs nothing (as a bank publishing several keys does).
     */
    public SandboxContext(SandboxSettings settings, SandboxKeys keys, SandboxState state, Faults faults, Clock clock,
                          String apiBaseUrl, String authorizeBaseUrl) {
        this(settings, keys, state, faults, clock, apiBaseUrl, authorizeBaseUrl,
                new SigningKeys(keys.paymentsSigningKey(), n -> generated(() -> new ECKeyGenerator(Curve.P_256)
                        .keyID("payments-" + n).generate()), List.of()),
                new SigningKeys(keys.idTokenSigningKey(), n -> generated(() -> new RSAKeyGenerator(2048)
                        .keyID("id-token-" + n).generate()), List.of(generated(() -> new ECKeyGenerator(Curve.P_256)
                        .keyID("id-token-ec").generate()))));
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
