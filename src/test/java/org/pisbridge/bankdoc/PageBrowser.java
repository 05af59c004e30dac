package org.pisbridge.bankdoc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The user's browser on the bank's authorize host, driven by hand: keeps cookies, follows the bank's own
 * redirects, and stops at the first redirect that leaves the bank (the TPP's redirect URI), which it never calls.
 */
final class PageBrowser {
    private static final int MAX_REDIRECTS = 10;

    private final HttpClient http;

    PageBrowser(SSLContext tls) {
        http = HttpClient.newBuilder()
                .sslContext(tls)
                .sslParameters(MutualTls.parameters())
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Where the browser ended: a page of the bank, or {@code leftTo} — the URI the bank redirected away to.
     */
    record Page(URI uri, int status, String body, URI leftTo) {
        List<HtmlForm> forms() {
            return HtmlForm.parse(body, uri);
        }

        HtmlForm onlyForm() {
            List<HtmlForm> forms = forms();
            if (forms.size() != 1) {
                throw new AssertionError("expected one form on " + uri.getPath() + " (" + status + "), found "
                        + forms.size() + ": " + body);
            }
            return forms.get(0);
        }
    }

    Page open(URI uri) {
        return follow(request(uri).GET().build());
    }

    Page submit(HtmlForm form, Map<String, String> data) {
        String encoded = DocumentTpp.formBodyText(data);
        if ("GET".equals(form.method())) {
            String separator = form.action().getRawQuery() == null ? "?" : "&";
            return open(URI.create(form.action() + separator + encoded));
        }
        return follow(request(form.action())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8))
                .build());
    }

    private Page follow(HttpRequest first) {
        HttpRequest request = first;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<String> response = send(request);
            URI here = request.uri();
            URI location = response.headers().firstValue("Location").map(here::resolve).orElse(null);
            boolean redirect = response.statusCode() / 100 == 3 && location != null;
            if (!redirect) {
                return new Page(request.uri(), response.statusCode(), response.body(), null);
            }
            if (!sameOrigin(location, request.uri())) {
                return new Page(request.uri(), response.statusCode(), response.body(), location);
            }
            request = request(location).GET().build();
        }
        throw new AssertionError("more than " + MAX_REDIRECTS + " redirects on the authorize host");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && a.getPort() == b.getPort();
    }

    private static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept", "text/html");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri().getPath() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
