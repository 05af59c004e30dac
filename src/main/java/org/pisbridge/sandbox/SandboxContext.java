package org.pisbridge.sandbox;

import java.time.Clock;

/**
 * What every part of the sandbox shares.
 *
 * @param apiBaseUrl       e.g. https://localhost:PORT — also the audience request objects must carry
 * @param authorizeBaseUrl e.g. https://localhost:PORT — also the iss of ID tokens
 */
public record SandboxContext(
        SandboxSettings settings,
        SandboxKeys keys,
        SandboxState state,
        Faults faults,
        Clock clock,
        String apiBaseUrl,
        String authorizeBaseUrl) {
}
