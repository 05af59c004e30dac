package org.pisbridge.sandbox.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pisbridge.sandbox.IdTokenFault;

/** ID tokens as OP's document defines them, and each armed fault spoiling exactly what it names. */
class IdTokensTest {
    private static final Set<IdTokenFault> TOKEN_ENDPOINT_ONLY = EnumSet.of(IdTokenFault.WRONG_AT_HASH,
            IdTokenFault.MISSING_AT_HASH, IdTokenFault.WRONG_RT_HASH, IdTokenFault.MISSING_RT_HASH);
    private static final Set<IdTokenFault> FRONT_CHANNEL_ONLY = EnumSet.of(IdTokenFault.WRONG_S_HASH,
            IdTokenFault.MISSING_S_HASH, IdTokenFault.WRONG_C_HASH, IdTokenFault.MISSING_C_HASH);

    private static TestBank bank;
    private final String authorizationId = UUID.randomUUID().toString();
    private final String nonce = UUID.randomUUID().toString();
    private final String state = UUID.randomUUID().toString();
    private final String code = "code-" + UUID.randomUUID();
    private final String accessToken = "at-" + UUID.randomUUID();
    private final String refreshToken = "rt-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        bank = new TestBank();
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @AfterEach
    void disarm() {
        bank.ctx.faults().clear();
    }

    @Test
    void frontChannelTokenIsSignedRs256WithTheBankKeyAndCarriesStateAndCodeHashes() throws Exception {
        String token = frontChannel();

        assertThat(frontChannelDefects().of(token, bank.ctx.idTokenKeys().jwks())).isEmpty();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(bank.ctx.keys().idTokenSigningKey().getKeyID());
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(bank.baseUrl);
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isAfter(jwt.getJWTClaimsSet().getIssueTime());
    }

    @Test
    void tokenEndpointTokenCarriesAccessAndRefreshTokenHashes() throws Exception {
        assertThat(tokenEndpointDefects().of(tokenEndpoint(), bank.ctx.idTokenKeys().jwks())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(IdTokenFault.class)
    void eachFaultProducesExactlyItsDefect(IdTokenFault fault) throws Exception {
        if (!TOKEN_ENDPOINT_ONLY.contains(fault)) {
            bank.ctx.faults().idToken(fault);
            assertThat(frontChannelDefects().of(frontChannel(), bank.ctx.idTokenKeys().jwks()))
                    .containsExactly(fault.name());
        }
        if (!FRONT_CHANNEL_ONLY.contains(fault)) {
            bank.ctx.faults().idToken(fault);
            assertThat(tokenEndpointDefects().of(tokenEndpoint(), bank.ctx.idTokenKeys().jwks()))
                    .containsExactly(fault.name());
        }
    }

    @Test
    void aFaultIsSpentOnceAndOnlyOnATokenThatCanCarryIt() throws Exception {
        bank.ctx.faults().idToken(IdTokenFault.WRONG_AT_HASH);

        assertThat(frontChannelDefects().of(frontChannel(), bank.ctx.idTokenKeys().jwks())).isEmpty();
        assertThat(tokenEndpointDefects().of(tokenEndpoint(), bank.ctx.idTokenKeys().jwks()))
                .containsExactly("WRONG_AT_HASH");
        assertThat(tokenEndpointDefects().of(tokenEndpoint(), bank.ctx.idTokenKeys().jwks())).isEmpty();
    }

    private String frontChannel() {
        return new IdTokens(bank.ctx).forAuthorizationResponse(TestBank.CLIENT_ID, authorizationId, "88888881", nonce,
                state, code);
    }

    private String tokenEndpoint() {
        return new IdTokens(bank.ctx).forTokenResponse(TestBank.CLIENT_ID, authorizationId, "88888881", nonce,
                accessToken, refreshToken);
    }

    private IdTokenDefects frontChannelDefects() {
        return new IdTokenDefects(bank.baseUrl, TestBank.CLIENT_ID, nonce, authorizationId,
                Map.of("s_hash", state, "c_hash", code));
    }

    private IdTokenDefects tokenEndpointDefects() {
        return new IdTokenDefects(bank.baseUrl, TestBank.CLIENT_ID, nonce, authorizationId,
                Map.of("at_hash", accessToken, "rt_hash", refreshToken));
    }
}
