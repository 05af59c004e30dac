package org.pisbridge.flow;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A browser that only opened a bundle's SCA link at the runtime, without going on to the bank: the
 * binding cookie the runtime set, and the state and nonce of the request object it was sent off with.
 */
record OpenedLink(String cookie, String state, String nonce) {

    static OpenedLink open(String link) throws Exception {
        HttpResponse<String> redirect = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (redirect.statusCode() != 303) {
            throw new IllegalStateException("the link answered " + redirect.statusCode() + ": " + redirect.body());
        }
        String cookie = redirect.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String query = URI.create(redirect.headers().firstValue("Location").orElseThrow()).getRawQuery();
        String request = null;
        for (String pair : query.split("&")) {
            if (pair.startsWith("request=")) {
                request = URLDecoder.decode(pair.substring("request=".length()), StandardCharsets.UTF_8);
            }
        }
        Map<String, Object> claims = SignedJWT.parse(request).getJWTClaimsSet().getClaims();
        return new OpenedLink(cookie, (String) claims.get("state"), (String) claims.get("nonce"));
    }

    /** Posts a hand-made callback from this browser (with its cookie). */
    HttpResponse<String> post(int httpPort, String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/oauth/callback"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
