package org.pisbridge.sandbox.authorize;

import com.sun.net.httpserver.HttpServer;
import org.pisbridge.sandbox.SandboxContext;

/** The authorize host: /oauth/authorize with its login and consent pages, and the JWKS documents. */
public final class AuthorizeEndpoints {
    private final SandboxContext ctx;

    public AuthorizeEndpoints(SandboxContext ctx) {
        this.ctx = ctx;
    }

    /** Registers this host's handlers on the (already TLS-configured) authorize server. */
    public void mount(HttpServer server) {
        // stub: mounts nothing until the sandbox-authorize branch brings the pages and JWKS documents
    }
}
