package org.pisbridge.sandbox.authorize;

import com.sun.net.httpserver.HttpServer;
import org.pisbridge.sandbox.SandboxContext;

/**
 * The authorize host: {@code /oauth/authorize} with its login and consent pages, and the two public
 * JWKS documents ({@code /oauth/jwks/PSD2_OIDC} for ID tokens, {@code /psd2/jwks/payments/jwks.json}
 * for the payments API's response signatures).
 */
public final class AuthorizeEndpoints {
    private final SandboxContext ctx;

    public AuthorizeEndpoints(SandboxContext ctx) {
        this.ctx = ctx;
    }

    /** Registers this host's handlers on the (already TLS-configured) authorize server. */
    public void mount(HttpServer server) {
        server.createContext(AuthorizeFlow.AUTHORIZE_PATH, new AuthorizeFlow(ctx));
        server.createContext(JwksDocuments.ID_TOKEN_PATH,
                new JwksDocuments(JwksDocuments.ID_TOKEN_PATH, () -> ctx.idTokenKeys().jwks(), ctx.faults()));
        server.createContext(JwksDocuments.PAYMENTS_PATH,
                new JwksDocuments(JwksDocuments.PAYMENTS_PATH, () -> ctx.paymentsKeys().jwks(), ctx.faults()));
    }
}
