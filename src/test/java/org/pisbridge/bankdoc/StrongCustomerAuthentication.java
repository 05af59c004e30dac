package org.pisbridge.bankdoc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.UUID;

/**
 * A completed default-flow authorization (document steps 4 and 5) with the simulated user: request object,
 * authorize URL, login and consent, callback, code exchange, and the ID token validated.
 */
final class StrongCustomerAuthentication {
    private StrongCustomerAuthentication() {
    }

    /** The user's tokens after approving {@code authorizationId}. */
    record UserGrant(String authorizationId, String nonce, TokenResponse tokens) {
        String accessToken() {
            return tokens.accessToken();
        }

        String refreshToken() {
            return tokens.refreshToken();
        }
    }

    static UserGrant approve(RunningBank bank, DocumentTpp tpp, String username, String authorizationId) {
        String nonce = UUID.randomUUID().toString();
        TokenResponse tokens = tpp.exchangeCode(code(bank, tpp, username, authorizationId, nonce),
                bank.frontDoor().callbackUri());
        tpp.idTokenValidator().validateTokenEndpoint(tokens.idToken(), nonce, authorizationId, tokens.accessToken(),
                tokens.refreshToken());
        return new UserGrant(authorizationId, nonce, tokens);
    }

    /**
     * The authorization code the user's approval of {@code authorizationId} sends back (response_type code), to
     * the TPP front door's callback URI, which the exchange must name.
     */
    static String code(RunningBank bank, DocumentTpp tpp, String username, String authorizationId, String nonce) {
        String state = UUID.randomUUID().toString();
        DocumentTpp viaFrontDoor = tpp.as(tpp.identity().withRedirectUri(bank.frontDoor().callbackUri()));
        URI url = viaFrontDoor.authorizeUrl(viaFrontDoor.requestObject(authorizationId, state, nonce, "code"), "code");
        AuthorizeCallback callback = AuthorizeCallback.of(
                bank.simulatedUser(username).approve(bank.frontDoor().startUrl(url)).callback());
        assertThat(callback.param("error")).as("authorize error").isNull();
        assertThat(callback.param("state")).isEqualTo(state);
        assertThat(callback.param("code")).isNotBlank();
        return callback.param("code");
    }
}
