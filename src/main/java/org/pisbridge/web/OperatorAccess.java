package org.pisbridge.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.pisbridge.oauth.Forms;
import org.pisbridge.oauth.RequestObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of the operator part (console, its actions, detailed health, metrics): a signed-in
 * browser session ({@link ConsoleSessions}) or a machine client's {@code Authorization: Bearer}
 * token ({@link OperatorLogins}). A browser without either is sent to the login page, anything else
 * gets 401. A request that changes something must come from this site (Origin) with its session's
 * CSRF token; the login form has one of its own (a double-submit cookie), so no one can sign a
 * browser in to another account.
 */
public final class OperatorAccess {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorAccess.class);
    static final String LOGIN_COOKIE = "pis_console_login";

    /** Who is asking: an operator's name, and the browser session (null for a token). */
    public record Operator(String name, ConsoleSessions.Session session) {
    }

    private final OperatorLogins logins;
    private final ConsoleSessions sessions;
    private final boolean secureCookies;

    public OperatorAccess(OperatorLogins logins, ConsoleSessions sessions, String publicUrl) {
        this.logins = logins;
        this.sessions = sessions;
        this.secureCookies = "https".equalsIgnoreCase(URI.create(publicUrl).getScheme());
    }

    public Optional<Operator> operator(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return logins.byToken(authorization.substring(7)).map(name -> new Operator(name, null));
        }
        String id = BrowserBinding.cookies(exchange.getMessage().getHeader("Cookie", String.class)).get(ConsoleSessions.COOKIE);
        return sessions.find(id).map(s -> new Operator(s.operator(), s));
    }

    /** The answer to a request without a valid login: the login page for a browser, 401 for anything else. */
    public String refuse(Exchange exchange) {
        Message m = exchange.getMessage();
        String accept = m.getHeader("Accept", String.class);
        boolean browser = accept != null && accept.contains("text/html") && m.getHeader("Authorization") == null
                && "GET".equals(m.getHeader(Exchange.HTTP_METHOD, String.class));
        String path = m.getHeader(Exchange.HTTP_PATH, String.class);
        m.removeHeaders("*");
        ConsoleView.securityHeaders(m);
        if (browser) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
            m.setHeader("Location", "/console/login?next=" + java.net.URLEncoder.encode(path == null ? "/console" : path,
                    java.nio.charset.StandardCharsets.UTF_8));
            return "";
        }
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
        m.setHeader("WWW-Authenticate", "Bearer realm=\"pis-bridge\"");
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        return "Authentication required\n";
    }

    /**
     * Whether a state-changing request may go on: it comes from this site and carries the session's
     * CSRF token; a machine client's token is not sent by browsers on their own, so it needs neither.
     */
    public boolean mayChange(Exchange exchange, Operator operator, Map<String, String> form) {
        if (operator.session() == null) {
            return true;
        }
        boolean allowed = sameOrigin(exchange) && operator.session().carries(form.get("csrf"));
        if (!allowed) {
            LOG.warn("Console: a change by {} refused (no CSRF token or another site)", operator.name());
        }
        return allowed;
    }

    /** GET /console/login: the form, with a fresh login CSRF token in a cookie and in the form. */
    public String loginPage(Exchange exchange) {
        Map<String, String> query = Forms.decode(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        return loginForm(exchange, 200, safeNext(query.get("next")), null);
    }

    /** POST /console/login: a session for a right name and password, sent on to where it was going. */
    public String login(Exchange exchange) {
        Map<String, String> form = form(exchange);
        String cookie = BrowserBinding.cookies(exchange.getMessage().getHeader("Cookie", String.class)).get(LOGIN_COOKIE);
        String next = safeNext(form.get("next"));
        if (!sameOrigin(exchange) || cookie == null || !cookie.equals(form.get("csrf"))) {
            return loginForm(exchange, 403, next, "The sign-in form expired. Please sign in again.");
        }
        Optional<String> operator = logins.byPassword(form.get("username"), form.get("password"));
        if (operator.isEmpty()) {
            LOG.warn("Console: sign-in refused for '{}'", String.valueOf(form.get("username")).replaceAll("[^A-Za-z0-9._@-]", "?"));
            return loginForm(exchange, 401, next, logins.anyOperator() ? "Wrong name or password."
                    : "No operator is set up yet: run ./pis-bridge operator add <name>.");
        }
        String id = sessions.start(operator.get());
        LOG.info("Console: {} signed in", operator.get());
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        ConsoleView.securityHeaders(m);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        m.setHeader("Location", next);
        m.setHeader("Set-Cookie", cookie(ConsoleSessions.COOKIE, id, -1));
        return "";
    }

    /** POST /console/logout. */
    public String logout(Exchange exchange) {
        Optional<Operator> operator = operator(exchange);
        Message m = exchange.getMessage();
        if (operator.isPresent() && mayChange(exchange, operator.get(), form(exchange))) {
            sessions.end(BrowserBinding.cookies(m.getHeader("Cookie", String.class)).get(ConsoleSessions.COOKIE));
        }
        m.removeHeaders("*");
        ConsoleView.securityHeaders(m);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        m.setHeader("Location", "/console/login");
        m.setHeader("Set-Cookie", cookie(ConsoleSessions.COOKIE, "", 0));
        return "";
    }

    /** The posted form, whether the HTTP server parsed it already or not. */
    static Map<String, String> form(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        Map<String, String> form = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> parsed) {
            parsed.forEach((k, v) -> form.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else {
            form.putAll(Forms.decode(exchange.getMessage().getBody(String.class)));
        }
        return form;
    }

    private String loginForm(Exchange exchange, int status, String next, String problem) {
        String token = RequestObjects.randomValue();
        String body = (problem == null ? "" : "<p class=\"problem\">" + Pages.escape(problem) + "</p>")
                + "<form method=\"post\" action=\"/console/login\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + token + "\">"
                + "<input type=\"hidden\" name=\"next\" value=\"" + Pages.escape(next) + "\">"
                + "<p><label>Name <input name=\"username\" autocomplete=\"username\" required autofocus></label></p>"
                + "<p><label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>"
                + "<p><button type=\"submit\">Sign in</button></p></form>";
        String page = ConsoleView.page(exchange, status, "Sign in to PIS Bridge", null, body, 0);
        exchange.getMessage().setHeader("Set-Cookie", cookie(LOGIN_COOKIE, token, 600));
        return page;
    }

    private String cookie(String name, String value, int maxAge) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (maxAge >= 0 ? "; Max-Age=" + maxAge : "")
                + (secureCookies ? "; Secure" : "");
    }

    /** Where to go after signing in: a path of the operator part only, never another site. */
    private static String safeNext(String next) {
        return next != null && next.matches("/(console|metrics|sca|health)[A-Za-z0-9/_.%-]*") ? next : "/console";
    }

    /** A browser's POST names the page's origin; it must be this site (the Host it was sent to). */
    private static boolean sameOrigin(Exchange exchange) {
        String origin = exchange.getMessage().getHeader("Origin", String.class);
        String host = exchange.getMessage().getHeader("Host", String.class);
        if (origin == null || "null".equals(origin)) {
            // no Origin (an older browser, or a form posted by a non-browser client): SameSite=Strict
            // cookies and the CSRF token still stand
            return origin == null;
        }
        return host != null && URI.create(origin).getAuthority() != null && URI.create(origin).getAuthority().equalsIgnoreCase(host);
    }
}
