package org.pisbridge.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.pisbridge.bank.BankError;
import org.pisbridge.oauth.ScaCompletion;
import org.pisbridge.oauth.Forms;
import org.pisbridge.orders.BundleState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.ScaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank's redirect back after SCA (document 4.4), in its three forms: {@code ?state&code},
 * {@code ?state&error}, and {@code #state&code&id_token} — a fragment never reaches a server, so
 * a GET without parameters gets a small page whose own inline script posts the fragment back.
 * A callback is accepted only for a known, unused, unexpired state from the browser that opened
 * the SCA link; anything else is refused and changes nothing.
 */
public final class ScaCallback {
    private static final Logger LOG = LoggerFactory.getLogger(ScaCallback.class);
    private static final String FRAGMENT_SCRIPT = "var p=new URLSearchParams(location.hash.substring(1));"
            + "var f=document.getElementById('callback');"
            + "['state','code','id_token','error','error_description'].forEach(function(n){f.elements[n].value=p.get(n)||'';});"
            + "history.replaceState(null,'',location.pathname);f.submit();";

    /** Errors that refuse this client's request (RFC 6749 4.1.2.1, RFC 9101 6.3): a set-up mistake, not the user's no. */
    private static final Set<String> REQUEST_REFUSALS = Set.of("invalid_request", "invalid_request_object", "unauthorized_client");

    private final ScaStore store;
    private final ScaCompletion completion;
    private final String callbackPath;
    private final Clock clock;
    private final Supplier<String> signedRequestHint;

    /**
     * @param signedRequestHint what to check when the bank refuses this client's request object
     *                          (the signing key it must know, the audience)
     */
    public ScaCallback(ScaStore store, ScaCompletion completion, String callbackPath, Clock clock,
                       Supplier<String> signedRequestHint) {
        this.store = store;
        this.completion = completion;
        this.callbackPath = callbackPath;
        this.clock = clock;
        this.signedRequestHint = signedRequestHint;
    }

    /** GET: the query forms, or the fragment page when the answer is in the fragment. */
    public String query(Exchange exchange) {
        Map<String, String> params = Forms.decode(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        if (params.isEmpty()) {
            return fragmentPage(exchange);
        }
        return accept(exchange, params);
    }

    /** POST: the fragment's parameters, posted by the fragment page. */
    public String form(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        Map<String, String> params = new java.util.LinkedHashMap<>();
        if (body instanceof Map<?, ?> parsed) {
            // the HTTP server has already parsed the form
            parsed.forEach((k, v) -> params.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else {
            params.putAll(Forms.decode(exchange.getMessage().getBody(String.class)));
        }
        return accept(exchange, params);
    }

    private String accept(Exchange exchange, Map<String, String> params) {
        String state = blankToNull(params.get("state"));
        String cookieHeader = exchange.getMessage().getHeader("Cookie", String.class);
        if (state == null) {
            return refuse(exchange, 400, "no state", null);
        }
        BundleRow bundle = store.bundleByScaState(state).orElse(null);
        if (bundle == null) {
            return refuse(exchange, 400, "unknown state", null);
        }
        if (bundle.state() != BundleState.AWAITING_SCA) {
            return refuse(exchange, 409, "state already used (bundle is " + bundle.state() + ")", bundle.bundleId());
        }
        if (bundle.scaDeadline() != null && clock.instant().isAfter(bundle.scaDeadline())) {
            return refuse(exchange, 410, "SCA expired", bundle.bundleId());
        }
        String cookie = BrowserBinding.cookies(cookieHeader).get(BrowserBinding.cookieName(bundle.bundleId()));
        if (!BrowserBinding.matches(cookie, bundle.browserBinding())) {
            return refuse(exchange, 403, "callback did not come back in the browser that opened the SCA link", bundle.bundleId());
        }
        String error = blankToNull(params.get("error"));
        if (error != null) {
            String description = blankToNull(params.get("error_description"));
            String reason = "bank refused the SCA: " + error + (description == null ? "" : " (" + description + ")")
                    + (REQUEST_REFUSALS.contains(error) ? "; " + signedRequestHint.get() : "");
            store.ended(bundle.bundleId(), BundleState.SCA_REJECTED,
                    org.pisbridge.orders.OrderState.SCA_REJECTED, reason);
            LOG.warn("Bundle {}: {}", bundle.bundleId(), reason);
            return Pages.show(exchange, 200, "Payments not authorised", "The bank reported: " + error
                    + (description == null ? "" : " (" + description + ")")
                    + ". The payments of this batch will not be made.");
        }
        try {
            ScaCompletion.Outcome outcome = completion.complete(bundle, blankToNull(params.get("code")),
                    blankToNull(params.get("id_token")));
            if (!outcome.authorized()) {
                return Pages.show(exchange, 400, "Payments not authorised", outcome.reason());
            }
            return Pages.show(exchange, 200, "Payments authorised",
                    "Thank you. The payments are being submitted to the bank; you can close this window.");
        } catch (BankError e) {
            LOG.warn("Bundle {}: code exchange failed: {}", bundle.bundleId(), e.getMessage());
            return Pages.show(exchange, 502, "The bank is not answering",
                    "The authorisation could not be completed. Please open the authorisation link again.");
        }
    }

    private String refuse(Exchange exchange, int status, String why, String bundleId) {
        LOG.warn("SCA callback refused{}: {}", bundleId == null ? "" : " for bundle " + bundleId, why);
        return Pages.show(exchange, status, "Authorisation not accepted",
                "This answer from the bank cannot be used: " + why + ". Nothing was changed.");
    }

    private String fragmentPage(Exchange exchange) {
        String page = Pages.show(exchange, 200, "Completing authorisation", "Completing the authorisation…");
        exchange.getMessage().setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline';"
                + " script-src 'sha256-" + sha256(FRAGMENT_SCRIPT) + "'; form-action 'self'");
        return page.replace("</body>", "<form id=\"callback\" method=\"post\" action=\"" + Pages.escape(callbackPath) + "\">"
                + "<input type=\"hidden\" name=\"state\"><input type=\"hidden\" name=\"code\">"
                + "<input type=\"hidden\" name=\"id_token\"><input type=\"hidden\" name=\"error\">"
                + "<input type=\"hidden\" name=\"error_description\">"
                + "<noscript><p>This page needs JavaScript to hand the bank's answer to PIS Bridge.</p></noscript>"
                + "</form><script>" + FRAGMENT_SCRIPT + "</script></body>");
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
