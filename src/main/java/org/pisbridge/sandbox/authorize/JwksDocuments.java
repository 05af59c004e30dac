package org.pisbridge.sandbox.authorize;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.function.Supplier;
import org.pisbridge.sandbox.Faults;

/**
 * A public JWKS document, served without client certificate as OP serves its JWKS URIs. Only public
 * key parts are ever written, whatever key the supplier holds.
 */
final class JwksDocuments implements HttpHandler {
    static final String ID_TOKEN_PATH = "/oauth/jwks/PSD2_OIDC";
    static final String PAYMENTS_PATH = "/psd2/jwks/payments/jwks.json";

    private final String path;
    private final Supplier<JWKSet> jwks;
    private final Faults faults;

    JwksDocuments(String path, Supplier<JWKSet> jwks, Faults faults) {
        this.path = path;
        this.jwks = jwks;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        PageExchange page = new PageExchange(exchange);
        try {
            if (!page.path().equals(path)) {
                page.html(404, AuthorizePages.error("Not found", "There is no document at this address."));
            } else if (!page.method().equals("GET")) {
                page.methodNotAllowed("GET");
            } else if (faults.take("GET", path).filter(f -> f.kind() == Faults.Kind.STATUS).isPresent()) {
                // the JWKS host down (an injected fault)
                page.html(503, AuthorizePages.error("Unavailable", "The key document cannot be served right now."));
            } else {
                page.json(jwks.get().toString(true));
            }
        } finally {
            exchange.close();
        }
    }
}
