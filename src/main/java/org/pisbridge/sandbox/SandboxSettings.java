package org.pisbridge.sandbox;

import com.nimbusds.jose.JWSAlgorithm;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the sandbox bank needs to start. Ports 0 pick free ports (tests); the runtime's
 * launcher fills this from {@code sandbox.*} settings in config/application.properties.
 *
 * @param dataDir          where the sandbox keeps its PKI ({@code pki/}), its ledger journal and the
 *                         TPP material it provisions ({@code tpp/}); created on first start
 * @param host             loopback host name the certificates are issued for and the URLs use
 * @param apiPort          mTLS host: token endpoint, payments, authorizations, revocation, registration
 * @param authorizePort    TLS host without client certificates: /oauth/authorize pages and JWKS
 * @param financialId      value the API host requires in {@code x-fapi-financial-id}
 * @param users            test users: user id to password and the IBANs that user owns
 * @param statusReadsPerStep how many status reads a submission stays in each state before it moves on
 * @param rejectAbove      submissions with a larger amount end {@code Rejected} (InsufficientFunds)
 * @param provisionedRedirectUris redirect URIs of the TPP client the sandbox provisions on first start
 * @param idTokenAlgorithm what the bank signs ID tokens with: {@link JWSAlgorithm#RS256} as OP does, or
 *                         {@link JWSAlgorithm#ES256}, so a TPP can be shown to follow the JWKS rather
 *                         than assume OP's algorithm
 */
public record SandboxSettings(
        Path dataDir,
        String host,
        int apiPort,
        int authorizePort,
        String financialId,
        Map<String, SandboxUser> users,
        int statusReadsPerStep,
        BigDecimal rejectAbove,
        Duration codeTtl,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        boolean persistent,
        List<String> provisionedRedirectUris,
        JWSAlgorithm idTokenAlgorithm) {

    public static final List<String> DEFAULT_REDIRECT_URIS = List.of("http://localhost:8080/oauth/callback");
    /** The algorithms the sandbox can sign ID tokens with; the bank publishes a key of each. */
    public static final List<JWSAlgorithm> ID_TOKEN_ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    public SandboxSettings {
        if (!ID_TOKEN_ALGORITHMS.contains(idTokenAlgorithm)) {
            throw new IllegalArgumentException("ID tokens are signed with one of " + ID_TOKEN_ALGORITHMS + ", not "
                    + idTokenAlgorithm);
        }
    }

    /** The settings as they were before {@code idTokenAlgorithm} existed: RS256, as OP signs. */
    public SandboxSettings(Path dataDir, String host, int apiPort, int authorizePort, String financialId,
                           Map<String, SandboxUser> users, int statusReadsPerStep, BigDecimal rejectAbove,
                           Duration codeTtl, Duration accessTokenTtl, Duration refreshTokenTtl, boolean persistent,
                           List<String> provisionedRedirectUris) {
        this(dataDir, host, apiPort, authorizePort, financialId, users, statusReadsPerStep, rejectAbove, codeTtl,
                accessTokenTtl, refreshTokenTtl, persistent, provisionedRedirectUris, JWSAlgorithm.RS256);
    }

    /** The settings as they were before {@code provisionedRedirectUris} existed: default redirect URIs. */
    public SandboxSettings(Path dataDir, String host, int apiPort, int authorizePort, String financialId,
                           Map<String, SandboxUser> users, int statusReadsPerStep, BigDecimal rejectAbove,
                           Duration codeTtl, Duration accessTokenTtl, Duration refreshTokenTtl, boolean persistent) {
        this(dataDir, host, apiPort, authorizePort, financialId, users, statusReadsPerStep, rejectAbove, codeTtl,
                accessTokenTtl, refreshTokenTtl, persistent, DEFAULT_REDIRECT_URIS);
    }

    /** A test user of the authorize pages: the seed's 88888881 / 88888882 with password 11221122. */
    public record SandboxUser(String userId, String password, List<String> ownedIbans) {
    }

    /** Defaults for a sandbox under {@code dataDir} on free ports, as tests use it. */
    public static SandboxSettings defaults(Path dataDir) {
        return new SandboxSettings(dataDir, "localhost", 0, 0, "test", defaultUsers(), 1,
                new BigDecimal("100000.00"), Duration.ofMinutes(10), Duration.ofHours(1),
                Duration.ofDays(45), true, DEFAULT_REDIRECT_URIS, JWSAlgorithm.RS256);
    }

    public static Map<String, SandboxUser> defaultUsers() {
        return Map.of(
                "88888881", new SandboxUser("88888881", "11221122",
                        List.of("FI4950009420028730", "FI5850009420172322", "FI2112345600000785")),
                "88888882", new SandboxUser("88888882", "11221122",
                        List.of("FI5542345670000081", "FI7944052020036082")));
    }

    public SandboxSettings withPorts(int api, int authorize) {
        return new SandboxSettings(dataDir, host, api, authorize, financialId, users, statusReadsPerStep,
                rejectAbove, codeTtl, accessTokenTtl, refreshTokenTtl, persistent, provisionedRedirectUris,
                idTokenAlgorithm);
    }

    public SandboxSettings withRedirectUris(List<String> redirectUris) {
        return new SandboxSettings(dataDir, host, apiPort, authorizePort, financialId, users, statusReadsPerStep,
                rejectAbove, codeTtl, accessTokenTtl, refreshTokenTtl, persistent, List.copyOf(redirectUris),
                idTokenAlgorithm);
    }

    public SandboxSettings withIdTokenAlgorithm(JWSAlgorithm algorithm) {
        return new SandboxSettings(dataDir, host, apiPort, authorizePort, financialId, users, statusReadsPerStep,
                rejectAbove, codeTtl, accessTokenTtl, refreshTokenTtl, persistent, provisionedRedirectUris, algorithm);
    }
}
