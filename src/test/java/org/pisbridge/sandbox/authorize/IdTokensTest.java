package org.pisbridge.sandbox.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.util.EnumSet;
import java.util.List;
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
import org.pisbridge.sandbox.IdTokenShape;

/**
 * ID tokens as OP's document defines them, and each armed fault spoiling exactly what it names — with
 * OP's RS256 and with a bank set to sign ES256.
 */
class IdTokensTest {
    private static final Set<IdTokenFault> TOKEN_ENDPOINT_ONLY = EnumSet.of(IdTokenFault.WRONG_AT_HASH,
            IdTokenFault.MISSING_AT_HASH, IdTokenFault.WRONG_RT_HASH, IdTokenFault.MISSING_RT_HASH);
    private static final Set<IdTokenFault> FRONT_CHANNEL_ONLY = EnumSet.of(IdTokenFault.WRONG_S_HASH,
            IdTokenFault.MISSING_S_HASH, IdTokenFault.WRONG_C_HASH, IdTokenFault.MISSING_C_HASH);

    private static TestBank bank;
    /** A bank that signs ID tokens ES256 instead of OP's RS256. */
    private static TestBank es256Bank;
    private final String authorizationId = UUID.randomUUID().toString();
    private final String nonce = UUID.randomUUID().toString();
    private final String state = UUID.randomUUID().toString();
    private final String code = "code-" + UUID.randomUUID();
    private final String accessToken = "at-" + UUID.randomUUID();
    private final String refreshToken = "rt-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        bank = new TestBank();
        es256Bank = new TestBank(JWSAlgorithm.ES256);
    }

    @AfterAll
    static void stop() {
        bank.close();
        es256Bank.close();
    }

    @AfterEach
    void disarm() {
        bank.ctx.faults().clear();
        es256Bank.ctx.faults().clear();
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
        assertEachFaultProducesExactlyItsDefect(bank, fault);
    }

    @ParameterizedTest
    @EnumSource(IdTokenFault.class)
    void eachFaultProducesExactlyItsDefectWhereTheBankSignsEs256(IdTokenFault fault) throws Exception {
        assertEachFaultProducesExactlyItsDefect(es256Bank, fault);
    }

    private void assertEachFaultProducesExactlyItsDefect(TestBank signer, IdTokenFault fault) throws Exception {
        if (!TOKEN_ENDPOINT_ONLY.contains(fault)) {
            signer.ctx.faults().idToken(fault);
            assertThat(frontChannelDefects(signer).of(frontChannel(signer), signer.ctx.idTokenKeys().jwks()))
                    .containsExactly(fault.name());
        }
        if (!FRONT_CHANNEL_ONLY.contains(fault)) {
            signer.ctx.faults().idToken(fault);
            assertThat(tokenEndpointDefects(signer).of(tokenEndpoint(signer), signer.ctx.idTokenKeys().jwks()))
                    .containsExactly(fault.name());
        }
    }

    @Test
    void otherAlgorithmUnderRs256IsEs256SignedWithThePublishedEcKey() throws Exception {
        bank.ctx.faults().idToken(IdTokenFault.OTHER_ALGORITHM);

        assertSignedByPublishedKey(bank, frontChannel(), JWSAlgorithm.ES256, ECKey.class);
    }

    @Test
    void es256BankSignsValidTokensEs256WithItsPublishedEcKey() throws Exception {
        JWKSet jwks = es256Bank.ctx.idTokenKeys().jwks();
        assertThat(frontChannelDefects(es256Bank).of(frontChannel(es256Bank), jwks)).isEmpty();
        assertThat(tokenEndpointDefects(es256Bank).of(tokenEndpoint(es256Bank), jwks)).isEmpty();

        SignedJWT jwt = assertSignedByPublishedKey(es256Bank, frontChannel(es256Bank), JWSAlgorithm.ES256, ECKey.class);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(es256Bank.ctx.idTokenKeys().signingKey().getKeyID());
        // the bank's RSA key stays published beside its EC key, signing nothing valid
        assertThat(jwks.getKeys()).extracting(JWK::getKeyType).containsExactlyInAnyOrder(KeyType.EC, KeyType.RSA);
        assertThat(jwks.getKeyByKeyId(es256Bank.ctx.keys().idTokenSigningKey().getKeyID())).isNotNull();
    }

    @Test
    void otherAlgorithmUnderEs256IsRs256SignedWithThePublishedRsaKey() throws Exception {
        es256Bank.ctx.faults().idToken(IdTokenFault.OTHER_ALGORITHM);

        SignedJWT jwt = assertSignedByPublishedKey(es256Bank, tokenEndpoint(es256Bank), JWSAlgorithm.RS256,
                RSAKey.class);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(es256Bank.ctx.keys().idTokenSigningKey().getKeyID());
    }

    @Test
    void aRolloverUnderEs256RollsTheEcKeyAndKeepsTheOldOnesPublished() throws Exception {
        try (TestBank rolling = new TestBank(JWSAlgorithm.ES256)) {
            String before = rolling.ctx.idTokenKeys().signingKey().getKeyID();
            String after = rolling.ctx.idTokenKeys().rollOver();

            SignedJWT jwt = assertSignedByPublishedKey(rolling, frontChannel(rolling), JWSAlgorithm.ES256, ECKey.class);
            assertThat(jwt.getHeader().getKeyID()).isEqualTo(after).isNotEqualTo(before);
            assertThat(rolling.ctx.idTokenKeys().jwks().getKeys()).extracting(JWK::getKeyID)
                    .contains(before, after, rolling.ctx.keys().idTokenSigningKey().getKeyID());
        }
    }

    /** {@code token} is signed {@code algorithm} by a key of {@code type} published in the bank's ID-token JWKS. */
    private static SignedJWT assertSignedByPublishedKey(TestBank signer, String token, JWSAlgorithm algorithm,
                                                        Class<? extends JWK> type) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(algorithm);
        JWK key = signer.ctx.idTokenKeys().jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).isInstanceOf(type);
        assertThat(IdTokenDefects.verifiedBy(jwt, key)).isTrue();
        return jwt;
    }

    @Test
    void aFaultIsSpentOnceAndOnlyOnATokenThatCanCarryIt() throws Exception {
        bank.ctx.faults().idToken(IdTokenFault.WRONG_AT_HASH);

        assertThat(frontChannelDefects().of(frontChannel(), bank.ctx.idTokenKeys().jwks())).isEmpty();
        assertThat(tokenEndpointDefects().of(tokenEndpoint(), bank.ctx.idTokenKeys().jwks()))
                .containsExactly("WRONG_AT_HASH");
        assertThat(tokenEndpointDefects().of(tokenEndpoint(), bank.ctx.idTokenKeys().jwks())).isEmpty();
    }

    @Test
    void audAsOneElementArrayShapesBothIdTokensOfOneAuthorizationThenIsSpent() throws Exception {
        bank.ctx.faults().idTokenShape(IdTokenShape.AUD_AS_ONE_ELEMENT_ARRAY);

        String front = frontChannel();
        String back = tokenEndpoint();

        for (String token : List.of(front, back)) {
            JsonNode aud = rawPayload(token).get("aud");
            assertThat(aud.isArray()).as("aud of %s", aud).isTrue();
            assertThat(aud).hasSize(1);
            assertThat(aud.get(0).asText()).isEqualTo(TestBank.CLIENT_ID);
        }
        // a valid form: a client following OIDC accepts it
        assertThat(frontChannelDefects().of(front, bank.ctx.idTokenKeys().jwks())).isEmpty();
        assertThat(tokenEndpointDefects().of(back, bank.ctx.idTokenKeys().jwks())).isEmpty();
        assertThat(rawPayload(tokenEndpoint()).get("aud").isTextual()).isTrue();
    }

    @Test
    void inACodeOnlyFlowTheShapeReachesTheTokenEndpointsIdToken() throws Exception {
        bank.ctx.faults().idTokenShape(IdTokenShape.AUD_AS_ONE_ELEMENT_ARRAY);

        assertThat(rawPayload(tokenEndpoint()).get("aud").isArray()).isTrue();
        assertThat(rawPayload(frontChannel()).get("aud").isTextual()).isTrue();
    }

    @Test
    void opsIdTokenCarriesAudAsAString() throws Exception {
        assertThat(rawPayload(frontChannel()).get("aud").asText()).isEqualTo(TestBank.CLIENT_ID);
        assertThat(rawPayload(tokenEndpoint()).get("aud").isTextual()).isTrue();
    }

    /** The payload as the bank wrote it, not as Nimbus' claims set reads it (which hides a one-element array). */
    private static JsonNode rawPayload(String token) throws Exception {
        return new ObjectMapper().readTree(Base64URL.from(token.split("\\.")[1]).decodeToString());
    }

    private String frontChannel() {
        return frontChannel(bank);
    }

    private String tokenEndpoint() {
        return tokenEndpoint(bank);
    }

    private IdTokenDefects frontChannelDefects() {
        return frontChannelDefects(bank);
    }

    private IdTokenDefects tokenEndpointDefects() {
        return tokenEndpointDefects(bank);
    }

    private String frontChannel(TestBank signer) {
        return new IdTokens(signer.ctx).forAuthorizationResponse(TestBank.CLIENT_ID, authorizationId, "88888881", nonce,
                state, code);
    }

    private String tokenEndpoint(TestBank signer) {
        return new IdTokens(signer.ctx).forTokenResponse(TestBank.CLIENT_ID, authorizationId, "88888881", nonce,
                accessToken, refreshToken);
    }

    private IdTokenDefects frontChannelDefects(TestBank signer) {
        return new IdTokenDefects(signer.baseUrl, TestBank.CLIENT_ID, nonce, authorizationId,
                Map.of("s_hash", state, "c_hash", code), signer.ctx.settings().idTokenAlgorithm());
    }

    private IdTokenDefects tokenEndpointDefects(TestBank signer) {
        return new IdTokenDefects(signer.baseUrl, TestBank.CLIENT_ID, nonce, authorizationId,
                Map.of("at_hash", accessToken, "rt_hash", refreshToken), signer.ctx.settings().idTokenAlgorithm());
    }
}
