package org.pisbridge.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pisbridge.sandbox.model.RegisteredClient;

/**
 * The TPP client the sandbox has registered on first start, as OP's developer portal and the
 * registration endpoint would have: rebuilt from the TPP material at every start, so the data dir
 * alone defines it.
 */
final class ProvisionedClient {
    static final List<String> GRANT_TYPES = List.of("client_credentials", "authorization_code", "refresh_token",
            "urn:ietf:params:oauth:grant-type:jwt-bearer");

    private ProvisionedClient() {
    }

    static RegisteredClient of(TppMaterial tpp, List<String> redirectUris) {
        RegisteredClient client = new RegisteredClient();
        client.clientId = tpp.clientId();
        client.clientSecret = tpp.clientSecret();
        client.apiKey = tpp.apiKey();
        client.tokenEndpointAuthMethod = "client_secret_post";
        client.redirectUris = List.copyOf(redirectUris);
        client.grantTypes = GRANT_TYPES;
        client.jwks = new JWKSet(signingKey(tpp));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("client_name", "PIS Bridge (sandbox TPP)");
        metadata.put("redirect_uris", client.redirectUris);
        metadata.put("token_endpoint_auth_method", client.tokenEndpointAuthMethod);
        metadata.put("grant_types", client.grantTypes);
        metadata.put("jwks", client.jwks.toJSONObject(true));
        client.metadata = metadata;
        return client;
    }

    private static JWK signingKey(TppMaterial tpp) {
        try {
            ECKey key = JWK.parseFromPEMEncodedObjects(Files.readString(tpp.signingKeyPem())).toECKey();
            return new ECKey.Builder(key.toPublicJWK()).keyID(tpp.signingKid()).algorithm(JWSAlgorithm.ES256)
                    .keyUse(KeyUse.SIGNATURE).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tpp.signingKeyPem(), e);
        } catch (JOSEException e) {
            throw new IllegalStateException("the TPP signing key in " + tpp.signingKeyPem() + " is not an EC key pair", e);
        }
    }
}
