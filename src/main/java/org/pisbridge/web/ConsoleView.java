package org.pisbridge.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The console's page frame: navigation, the sign-out form, and the headers every operator answer
 * carries (no caching, no framing, no sniffing, no referrer, a content security policy that allows
 * only the page's own style and the one script below).
 */
final class ConsoleView {
    /** Copies an SCA link to the clipboard (select-and-copy where the Clipboard API is not there). */
    private static final String COPY_SCRIPT = "document.querySelectorAll('button[data-copy]').forEach(function(b){"
            + "b.addEventListener('click',function(){var i=document.getElementById(b.getAttribute('data-copy'));i.select();"
            + "var done=function(){b.textContent='Copied';};"
            + "if(navigator.clipboard){navigator.clipboard.writeText(i.value).then(done,function(){document.execCommand('copy');done();});}"
            + "else{document.execCommand('copy');done();}});});";
    private static final String STYLE = "body{font-family:sans-serif;margin:1em 2em;color:#222}"
            + "nav a{margin-right:1em}table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;"
            + "padding:.3em .6em;text-align:left;vertical-align:top}td.n{text-align:right}.problem{color:#a00}"
            + "input.link{width:28em}progress{width:12em}form.inline{display:inline}header{display:flex;"
            + "justify-content:space-between;align-items:center}";

    private ConsoleView() {
    }

    static void securityHeaders(Message m) {
        m.setHeader("Cache-Control", "no-store");
        // same-origin, not no-referrer: with no-referrer a browser posts forms with "Origin: null"
        m.setHeader("Referrer-Policy", "same-origin");
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("X-Frame-Options", "DENY");
        m.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
                + sha256(COPY_SCRIPT) + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }

    /**
     * @param operator       the signed-in operator (null on the login page)
     * @param refreshSeconds reload the page this often (0: never), so progress moves on its own
     */
    static String page(Exchange exchange, int status, String title, OperatorAccess.Operator operator, String body,
                       int refreshSeconds) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        securityHeaders(m);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        StringBuilder page = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        if (refreshSeconds > 0) {
            page.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">");
        }
        page.append("<title>").append(Pages.escape(title)).append(" — PIS Bridge</title><style>").append(STYLE)
                .append("</style></head><body>");
        if (operator != null) {
            page.append("<header><nav><a href=\"/console\">Batches</a><a href=\"/console/sca\">Waiting for SCA</a>")
                    .append("<a href=\"/console/problems\">Problems</a><a href=\"/console/health\">Health</a>")
                    .append("<a href=\"/metrics\">Metrics</a></nav>");
            if (operator.session() != null) {
                page.append("<form class=\"inline\" method=\"post\" action=\"/console/logout\">").append(csrfField(operator))
                        .append(Pages.escape(operator.name())).append(" <button type=\"submit\">Sign out</button></form>");
            }
            page.append("</header>");
        }
        page.append("<h1>").append(Pages.escape(title)).append("</h1>").append(body)
                .append("<script>").append(COPY_SCRIPT).append("</script></body></html>");
        return page.toString();
    }

    static String csrfField(OperatorAccess.Operator operator) {
        return operator.session() == null ? ""
                : "<input type=\"hidden\" name=\"csrf\" value=\"" + Pages.escape(operator.session().csrfToken()) + "\">";
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
