package org.pisbridge.sandbox.authorize;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/** A browser for tests that look at each hop: keeps cookies, never follows redirects on its own. */
final class Browser {
    private static final Pattern SESSION_FIELD = Pattern.compile("name=\"session\" value=\"([^\"]+)\"");

    final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    Browser(SSLContext trust) {
        http = HttpClient.newBuilder().sslContext(trust).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(URI uri, Map<String, String> form) throws Exception {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(TestBank.encode(k) + "=" + TestBank.encode(v)));
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The hidden session field of a login or consent page. */
    static String sessionField(String html) {
        Matcher m = SESSION_FIELD.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no session field in page:\n" + html);
        }
        return m.group(1);
    }

    static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
                "no Location; HTTP " + response.statusCode() + "\n" + response.body()));
    }

    /** Parameters of a query ({@code ?}) or fragment ({@code #}) answer to the TPP. */
    static Map<String, String> parameters(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
