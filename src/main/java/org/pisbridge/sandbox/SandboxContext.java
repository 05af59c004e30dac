package org.pisbridge.sandbox;

import java.time.Clock;

/**
 * What every part of the sandbox shares.
 *
 * @param apiBaseUrl       e.g. https://localhost:PORT — also the audience request objects must carry
 * @param authorizeBaseUrl e.g. https://localhost:PORT — also the iss of ID tokens
 * @param paymentsKeys     the keys signing business responses, rolled over on request
 */
public record SandboxContext(
        SandboxSettings settings,
        SandboxKeys keys,
        SandboxState state,
        Faults faults,
        Clock clock,
        String apiBaseUrl,
        String authorizeBaseUrl,
        PaymentsKeyRing paymentsKeys) {

    /** A context whose response-signing keys start with the one in {@code keys}. */
    public SandboxContext(SandboxSettings settings, SandboxKeys keys, SandboxState state, Faults faults, Clock clock,
                          String apiBaseUrl, String authorizeBaseUrl) {
        this(settings, keys, state, faults, clock, apiBaseUrl, authorizeBaseUrl, new PaymentsKeyRing(keys.paymentsSigningKey()));
    }
}
