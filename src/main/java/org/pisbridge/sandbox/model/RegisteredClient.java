package org.pisbridge.sandbox.model;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.List;
import java.util.Map;

/**
 * A TPP client registered through /tpp-registration (RFC 7591) or provisioned on first start.
 * {@code clientSecret} is null for {@code tls_client_auth} clients, whose credential is the
 * certificate with {@code tlsClientAuthSubjectDn}.
 */
public final class RegisteredClient {
    public String clientId;
    public String clientSecret;
    public String apiKey;
    public String tokenEndpointAuthMethod; // client_secret_post | client_secret_basic | tls_client_auth
    public String tlsClientAuthSubjectDn;
    public List<String> redirectUris = List.of();
    public List<String> grantTypes = List.of();
    /** Keys the TPP signs request objects and x-jws-signature with (public parts only). */
    public JWKSet jwks;
    public String jwksUri;
    public String registrationAccessToken;
    /** The metadata as registered, returned by RFC 7592 reads. */
    public Map<String, Object> metadata = Map.of();
    public boolean deleted;
}
