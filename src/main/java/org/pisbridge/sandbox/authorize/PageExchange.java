package org.pisbridge.sandbox.authorize;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One browser request to the authorize host, with what its pages need to read and answer. */
final class PageExchange {
    /** A login or consent form is a few hundred bytes; anything far larger is not from our pages. */
    private static final int MAX_FORM_BYTES = 16 * 1024;

    /**
     * The pages allow no script, no framing and no referrer (the request object travels in the URL);
     * no form-action directive, because browsers apply it to the redirect to the TPP after a POST.
     */
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

    private final HttpExchange exchange;

    PageExchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getPath();
    }

    /** Query parameters, each with every value it was given (so duplicates can be refused). */
    Map<String, List<String>> query() {
        return decode(exchange.getRequestURI().getRawQuery());
    }

    /** The urlencoded form body; a parameter given more than once is refused by {@link #single}. */
    Map<String, List<String>> form() throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_FORM_BYTES + 1);
            if (body.length > MAX_FORM_BYTES) {
                return Map.of();
            }
            return decode(new String(body, StandardCharsets.US_ASCII));
        }
    }

    /** The one value of {@code name}, or empty when it is absent or repeated. */
    static Optional<String> single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values != null && values.size() == 1 ? Optional.of(values.get(0)) : Optional.empty();
    }

    Optional<String> cookie(String name) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return Optional.empty();
        }
        for (String header : headers) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    return Optional.of(pair.substring(eq + 1).trim());
                }
            }
        }
        return Optional.empty();
    }

    void setCookie(String name, String value, String path) {
        exchange.getResponseHeaders().add("Set-Cookie",
                name + "=" + value + "; Path=" + path + "; HttpOnly; Secure; SameSite=Lax");
    }

    void clearCookie(String name, String path) {
        exchange.getResponseHeaders().add("Set-Cookie",
                name + "=; Path=" + path + "; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
    }

    void html(int status, String page) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        send(status, page.getBytes(StandardCharsets.UTF_8));
    }

    void json(String document) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(200, document.getBytes(StandardCharsets.UTF_8));
    }

    /** 303, so the browser follows with a GET whatever method brought it here. */
    void redirect(String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        send(303, new byte[0]);
    }

    void methodNotAllowed(String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        send(405, new byte[0]);
    }

    private void send(int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, List<String>> decode(String encoded) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }
}
