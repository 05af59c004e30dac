package org.pisbridge.sandbox;

import com.nimbusds.jose.jwk.JWK;
import javax.net.ssl.SSLContext;

/**
 * The bank's own key material, made by the PKI generator on first start and reloaded after.
 *
 * @param serverSsl          TLS server context of both hosts (server certificate issued by the sandbox CA);
 *                           the API host additionally requires client certificates issued by that CA
 * @param idTokenSigningKey  RS256 key that signs ID tokens (with kid), published at the ID-token JWKS
 * @param paymentsSigningKey key that signs business responses' detached x-jws-signature, published at
 *                           the payments JWKS
 */
public record SandboxKeys(SSLContext serverSsl, JWK idTokenSigningKey, JWK paymentsSigningKey) {
}
