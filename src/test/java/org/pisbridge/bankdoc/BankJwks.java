package org.pisbridge.bankdoc;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;

/**
 * A JWKS the bank publishes (ID-token keys, payment response keys), fetched on first use and fetched again
 * once when a kid is unknown, as a TPP must do to follow the bank's key rotation.
 */
final class BankJwks {
    private final HttpClient http;
    private final URI uri;
    private volatile JWKSet keys;

    BankJwks(HttpClient http, URI uri) {
        this.http = http;
        this.uri = uri;
    }

    JWK key(String kid) {
        if (kid == null) {
            throw new AssertionError("the signature header has no kid");
        }
        JWK key = keys == null ? null : keys.getKeyByKeyId(kid);
        if (key == null) {
            keys = fetch();
            key = keys.getKeyByKeyId(kid);
        }
        if (key == null) {
            throw new AssertionError("kid " + kid + " is not in " + uri);
        }
        return key;
    }

    private JWKSet fetch() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + uri + " answered " + response.statusCode());
            }
            return JWKSet.parse(response.body());
        } catch (IOException | ParseException e) {
            throw new AssertionError("cannot read the JWKS at " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while reading " + uri, e);
        }
    }
}
