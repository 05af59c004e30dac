package org.pisbridge.sandbox.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.model.RegisteredClient;

/**
 * Authenticates a client at the token and revocation endpoints with the one method it registered:
 * {@code client_secret_post}, {@code client_secret_basic} (RFC 6749 §2.3.1) or
 * {@code tls_client_auth} (RFC 8705 §2.1.2: the certificate's subject DN is the credential).
 */
final class ClientAuthentication {
    private final SandboxContext ctx;

    ClientAuthentication(SandboxContext ctx) {
        this.ctx = ctx;
    }

    RegisteredClient authenticate(ApiRequest request, Map<String, String> form) {
        String method;
        String clientId;
        String secret;
        String authorization = request.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = basicCredentials(authorization.substring(6).trim());
            if (form.containsKey("client_secret")) {
                throw OAuthError.invalidRequest("use one client authentication method, not Basic and client_secret together");
            }
            if (form.containsKey("client_id") && !form.get("client_id").equals(pair[0])) {
                throw OAuthError.invalidRequest("client_id differs from the client of the Basic credentials");
            }
            method = "client_secret_basic";
            clientId = pair[0];
            secret = pair[1];
        } else {
            clientId = form.get("client_id");
            secret = form.get("client_secret");
            method = secret != null ? "client_secret_post" : "tls_client_auth";
        }
        if (clientId == null) {
            throw OAuthError.invalidClient("client authentication is missing (client_id)");
        }
        RegisteredClient client = ctx.state().clients.get(clientId);
        if (client == null || client.deleted) {
            throw OAuthError.invalidClient("unknown client");
        }
        if (!method.equals(client.tokenEndpointAuthMethod)) {
            throw OAuthError.invalidClient("client " + clientId + " must authenticate with its registered method "
                    + client.tokenEndpointAuthMethod + ", not " + method);
        }
        if (method.equals("tls_client_auth")) {
            X509Certificate certificate = request.clientCertificate()
                    .orElseThrow(() -> OAuthError.invalidClient("tls_client_auth needs a client certificate"));
            if (client.tlsClientAuthSubjectDn == null
                    || !new X500Principal(client.tlsClientAuthSubjectDn).equals(certificate.getSubjectX500Principal())) {
                throw OAuthError.invalidClient("the client certificate's subject is not the one registered for client " + clientId);
            }
        } else if (client.clientSecret == null || !MessageDigest.isEqual(
                client.clientSecret.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            throw OAuthError.invalidClient("client authentication failed");
        }
        return client;
    }

    /** {@code Basic base64(urlencode(id):urlencode(secret))}, as RFC 6749 §2.3.1 encodes it. */
    private static String[] basicCredentials(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("the Basic credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw OAuthError.invalidClient("the Basic credentials are not client_id:client_secret");
        }
        return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    }
}
