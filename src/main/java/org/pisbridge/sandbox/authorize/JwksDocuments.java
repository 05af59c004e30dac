package org.pisbridge.sandbox.authorize;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * A public JWKS document, served without client certificate as OP serves its JWKS URIs. Only public
 * key parts are ever written, whatever key the supplier holds.
 */
final class JwksDocuments implements HttpHandler {
    static final String ID_TOKEN_PATH = "/oauth/jwks/PSD2_OIDC";
    static final String PAYMENTS_PATH = "/psd2/jwks/payments/jwks.json";

    private final String path;
    private final Supplier<JWKSet> jwks;

    JwksDocuments(String path, Supplier<JWKSet> jwks) {
        this.path = path;
        this.jwks = jwks;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        PageExchange page = new PageExchange(exchange);
        try {
            if (!page.path().equals(path)) {
                page.html(404, AuthorizePages.error("Not found", "There is no document at this address."));
            } else if (!page.method().equals("GET")) {
                page.methodNotAllowed("GET");
            } else {
                page.json(jwks.get().toString(true));
            }
        } finally {
            exchange.close();
        }
    }
}
