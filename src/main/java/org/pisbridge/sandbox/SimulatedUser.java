package org.pisbridge.sandbox;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * An unattended bank customer for demos and tests. It goes through the bank's pages the way a person
 * with a browser would, never around them: it opens the start URL (typically a TPP page that
 * redirects to the bank's {@code /oauth/authorize}, over {@code http://} or {@code https://}),
 * follows every redirect itself keeping cookies per host, fills in the login form (the text field
 * with the user name, the password field with the password, hidden fields as served), presses
 * Approve or Reject on the consent page, and stops at the bank's redirect back to the TPP.
 *
 * <p>The callback is then loaded ({@link #load}) in the same "browser" (same cookies):
 * <ul>
 *   <li>{@code redirect_uri?state&code} or {@code ?state&error}: a GET of that URL, following
 *       redirects.</li>
 *   <li>{@code redirect_uri#state&code&id_token}: a browser loads the page without the fragment and the
 *       page's script reads {@code location.hash}. The contract this class emulates: the TPP's page holds
 *       a {@code <form method="post">} with a hidden input named after each fragment parameter (its
 *       script fills them from the fragment and submits); the user GETs the page, fills those inputs
 *       from the fragment and POSTs the form to its action, following redirects.</li>
 * </ul>
 * {@link Outcome} reports the callback address and the TPP's final answer to it. {@link #open} stops
 * earlier, at the bank's login page; {@link #approveUntilCallback} stops at the callback, unloaded.
 *
 * <p>A walk keeps its state in local variables and the HTTP client and its cookie store are
 * thread-safe, so one user may walk or load callbacks from several threads at once.
 *
 * <p>A page it cannot act on (the bank's error page, a refused login) ends the walk with an
 * {@link IllegalStateException} naming the page.
 */
public final class SimulatedUser {
    private static final int MAX_HOPS = 20;
    private static final String AUTHORIZE_PATH = "/oauth/authorize";
    private static final Pattern ALERT = Pattern.compile("role=\"alert\">([^<]*)<");

    /** Where the bank sent the user back to, with the TPP's answer to loading that address. */
    public record Outcome(URI callback, int status, String body) {
        /** The callback's parameters, from its fragment when it has one, else from its query. */
        public Map<String, String> parameters() {
            return decode(callback.getRawFragment() != null ? callback.getRawFragment() : callback.getRawQuery());
        }
    }

    private final HttpClient browser;
    private final String username;
    private final String password;

    public SimulatedUser(SSLContext trust, String username, String password) {
        this.browser = HttpClient.newBuilder()
                .sslContext(trust)
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.username = username;
        this.password = password;
    }

    public Outcome approve(URI startUrl) {
        return load(approveUntilCallback(startUrl));
    }

    public Outcome reject(URI startUrl) {
        return load(walk(startUrl, "reject"));
    }

    /**
     * Walks as {@link #approve} does but stops at the bank's redirect back to the TPP without loading
     * it: the callback address with its query or fragment, for {@link #load} (once, twice, concurrently).
     */
    public URI approveUntilCallback(URI startUrl) {
        return walk(startUrl, "approve");
    }

    /**
     * Follows redirects from the start URL to the bank's login page and stops there, logged in to
     * nothing. Returns the authorize address reached; its {@code request} parameter is the signed
     * request object. The bank has then accepted that request (and spent its nonce).
     */
    public URI open(URI startUrl) {
        HttpResponse<String> page = authorizePage(startUrl);
        Optional<URI> sentBack = redirectOf(page);
        if (sentBack.isPresent()) {
            Map<String, String> answer = decode(sentBack.get().getRawQuery());
            throw new IllegalStateException("the bank sent the user back to " + withoutQuery(sentBack.get())
                    + " instead of showing its login page (error=" + answer.get("error") + ": "
                    + answer.get("error_description") + ")");
        }
        if (page.statusCode() != 200) {
            throw unexpected("the bank did not show its login page", page);
        }
        return page.uri();
    }

    /**
     * Loads a callback address in this browser (same cookies) as the walk does: a query answer with a
     * GET, a fragment answer through the TPP's page and its POST form. Any callback can be loaded, any
     * number of times, from several threads at once.
     */
    public Outcome load(URI callback) {
        if (callback.getRawFragment() == null) {
            HttpResponse<String> answer = follow(send(get(callback)));
            return new Outcome(callback, answer.statusCode(), answer.body());
        }
        URI page = URI.create(callback.toString().substring(0, callback.toString().indexOf('#')));
        HttpResponse<String> loaded = follow(send(get(page)));
        Map<String, String> fragment = decode(callback.getRawFragment());
        HtmlForm form = HtmlForm.parseAll(loaded.body()).stream()
                .filter(f -> f.method().equals("post") && f.hiddenValues().keySet().containsAll(fragment.keySet()))
                .findFirst()
                .orElseThrow(() -> unexpected("the callback page has no POST form with hidden inputs "
                        + fragment.keySet() + " to carry the fragment", loaded));
        Map<String, String> fields = form.hiddenValues();
        fields.putAll(fragment);
        HttpResponse<String> answer = follow(send(post(loaded.uri(), form, fields)));
        return new Outcome(callback, answer.statusCode(), answer.body());
    }

    /** From the bank's answer to the authorize request on, the first redirect leaving the bank is the callback. */
    private URI walk(URI startUrl, String decision) {
        HttpResponse<String> response = authorizePage(startUrl);
        String bank = origin(response.uri());
        boolean loggedInOnce = false;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Optional<URI> redirect = redirectOf(response);
            if (redirect.isPresent()) {
                if (!origin(redirect.get()).equals(bank)) {
                    return redirect.get();
                }
                response = send(get(redirect.get()));
                continue;
            }
            List<HtmlForm> forms = HtmlForm.parseAll(response.body());
            Optional<HtmlForm> login = forms.stream().filter(f -> f.control("password").isPresent()).findFirst();
            if (login.isPresent()) {
                if (loggedInOnce) {
                    throw unexpected("the bank refused the login of user " + username, response);
                }
                loggedInOnce = true;
                response = send(post(response.uri(), login.get(), filledLogin(login.get())));
                continue;
            }
            Optional<HtmlForm> consent = forms.stream().filter(f -> button(f, decision).isPresent()).findFirst();
            if (consent.isEmpty()) {
                throw unexpected("no login or consent form on the bank's page", response);
            }
            Map<String, String> fields = consent.get().hiddenValues();
            HtmlForm.Control pressed = button(consent.get(), decision).get();
            fields.put(pressed.name(), pressed.value());
            response = send(post(response.uri(), consent.get(), fields));
        }
        throw new IllegalStateException("gave up after " + MAX_HOPS + " pages without reaching the TPP's callback");
    }

    /**
     * The bank's answer to {@code GET /oauth/authorize}, reached from the start URL: the bank's authorize
     * URL itself, or a TPP page that redirects to it.
     */
    private HttpResponse<String> authorizePage(URI startUrl) {
        URI next = startUrl;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            HttpResponse<String> response = send(get(next));
            if (AUTHORIZE_PATH.equals(next.getPath())) {
                return response;
            }
            Optional<URI> redirect = redirectOf(response);
            if (redirect.isEmpty()) {
                throw unexpected("the start URL did not lead to the bank's " + AUTHORIZE_PATH, response);
            }
            next = redirect.get();
        }
        throw new IllegalStateException("gave up after " + MAX_HOPS + " redirects without reaching the bank's "
                + AUTHORIZE_PATH);
    }

    private Map<String, String> filledLogin(HtmlForm form) {
        Map<String, String> fields = form.hiddenValues();
        HtmlForm.Control user = form.control("text").or(() -> form.control("tel"))
                .orElseThrow(() -> new IllegalStateException("the login form has no user name field"));
        fields.put(user.name(), username);
        fields.put(form.control("password").get().name(), password);
        return fields;
    }

    private static Optional<HtmlForm.Control> button(HtmlForm form, String decision) {
        return form.controls().stream()
                .filter(c -> c.isSubmit() && c.name() != null && c.value().equalsIgnoreCase(decision))
                .findFirst();
    }

    /** Follows the TPP's own redirects after the callback, as a browser does, with GETs. */
    private HttpResponse<String> follow(HttpResponse<String> response) {
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Optional<URI> next = redirectOf(response);
            if (next.isEmpty()) {
                return response;
            }
            response = send(get(next.get()));
        }
        throw new IllegalStateException("the TPP redirected more than " + MAX_HOPS + " times");
    }

    private static Optional<URI> redirectOf(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            return Optional.empty();
        }
        return response.headers().firstValue("Location").map(location -> response.uri().resolve(location));
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET()
                .header("Accept", "text/html").build();
    }

    private static HttpRequest post(URI page, HtmlForm form, Map<String, String> fields) {
        URI action = form.action().isEmpty() ? page : page.resolve(form.action());
        return HttpRequest.newBuilder(action).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields)))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return browser.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot load " + withoutQuery(request.uri()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted loading " + withoutQuery(request.uri()), e);
        }
    }

    private static IllegalStateException unexpected(String what, HttpResponse<String> response) {
        Matcher alert = ALERT.matcher(response.body());
        String message = alert.find() ? ": " + HtmlForm.unescape(alert.group(1)) : "";
        return new IllegalStateException(what + " (HTTP " + response.statusCode() + " from "
                + withoutQuery(response.uri()) + message + ")");
    }

    /** Query strings carry request objects, codes and tokens: they stay out of messages. */
    private static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + Objects.requireNonNullElse(uri.getRawPath(), "");
    }

    private static String origin(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + ":" + port;
    }

    private static String encode(Map<String, String> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((name, value) -> body.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private static Map<String, String> decode(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
