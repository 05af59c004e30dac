package org.pisbridge.sandbox.api;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One request to the API host as the endpoints see it: the exact body bytes (signatures are over
 * them), headers, the path parameters of the matched route and the TLS client certificate.
 */
public final class ApiRequest {
    private final Headers headers;
    private final byte[] body;
    private final List<String> pathParams;
    private final SSLSession tls;

    ApiRequest(Headers headers, byte[] body, List<String> pathParams, SSLSession tls) {
        this.headers = headers;
        this.body = body;
        this.pathParams = pathParams;
        this.tls = tls;
    }

    public byte[] body() {
        return body;
    }

    /** The {@code index}th {@code {...}} segment of the route's path. */
    public String pathParam(int index) {
        return URLDecoder.decode(pathParams.get(index), StandardCharsets.UTF_8);
    }

    /** The header's value, or null when absent or empty. */
    public String header(String name) {
        String value = headers.getFirst(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * The body as {@code application/x-www-form-urlencoded} parameters. A parameter sent twice is
     * refused, as RFC 6749 §3.2 requires of the token endpoint.
     */
    public Map<String, String> form() {
        String contentType = headers.getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            throw OAuthError.invalidRequest("Content-Type must be application/x-www-form-urlencoded");
        }
        Map<String, String> params = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.US_ASCII);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (params.put(name, value) != null) {
                throw OAuthError.invalidRequest("parameter " + name + " is given more than once");
            }
        }
        params.values().removeIf(String::isEmpty);
        return params;
    }

    /** The certificate the client presented in the TLS handshake (the API host requires one). */
    public Optional<X509Certificate> clientCertificate() {
        try {
            Certificate[] chain = tls.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
