package org.pisbridge.sandbox;

import com.nimbusds.jose.jwk.JWK;
import javax.net.ssl.SSLContext;

/**
 * The bank's own key material, made by the PKI generator on first start and reloaded after.
 *
 * @param serverSsl          TLS server context of both hosts (server certificate issued by the sandbox CA);
 *                           the API host additionally requires client certificates issued by that CA
 * @param idTokenSigningKey  the bank's RS256 ID-token key (with kid), published at the ID-token JWKS; it signs
 *                           ID tokens unless the settings make the bank sign them ES256
 * @param paymentsSigningKey key that signs business responses' detached x-jws-signature, published at
 *                           the payments JWKS
 */
public record SandboxKeys(SSLContext serverSsl, JWK idTokenSigningKey, JWK paymentsSigningKey) {
}
