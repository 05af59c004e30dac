package org.pisbridge.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.camel.Exchange;
import org.pisbridge.bank.BankError;
import org.pisbridge.oauth.ScaCompletion;
import org.pisbridge.oauth.Forms;
import org.pisbridge.orders.BundleState;
import org.pisbridge.store.BundleRow;
import org.pisbridge.store.ScaAttempt;
import org.pisbridge.store.ScaAttempts;
import org.pisbridge.store.ScaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank's redirect back after SCA (document 4.4), in its three forms: {@code ?state&code},
 * {@code ?state&error}, and {@code #state&code&id_token} — a fragment never reaches a server, so
 * a GET without parameters gets a small page whose own inline script posts the fragment back.
 * A callback is matched to its attempt by state, and accepted only for an open, unexpired attempt
 * of a waiting bundle, from the browser that opened that attempt; anything else is refused and
 * changes nothing. An error ends the attempt, not the bundle (unless the error is configured to
 * end it): the person can open the link again.
 */
public final class ScaCallback {
    /** Set on the exchange to the bundle an approval authorised, for the route to hand it to submission. */
    public static final String AUTHORIZED_BUNDLE = "authorizedBundle";

    private static final Logger LOG = LoggerFactory.getLogger(ScaCallback.class);
    private static final String FRAGMENT_SCRIPT = "var p=new URLSearchParams(location.hash.substring(1));"
            + "var f=document.getElementById('callback');"
            + "['state','code','id_token','error','error_description'].forEach(function(n){f.elements[n].value=p.get(n)||'';});"
            + "history.replaceState(null,'',location.pathname);f.submit();";

    private final ScaStore store;
    private final ScaAttempts attempts;
    private final ScaCompletion completion;
    private final String callbackPath;
    private final Clock clock;
    private final BiFunction<String, String, String> refusalHint;
    private final Set<String> errorsEndingBundle;

    /**
     * @param refusalHint        what to check on this side for the bank's error and description
     *                           ({@code BankConnection.requestObjectHint}), null when nothing
     * @param errorsEndingBundle error codes after which the bundle ends SCA_REJECTED at once (its
     *                           authorization revoked) instead of waiting for another attempt
     */
    public ScaCallback(ScaStore store, ScaAttempts attempts, ScaCompletion completion, String callbackPath, Clock clock,
                       BiFunction<String, String, String> refusalHint, Set<String> errorsEndingBundle) {
        this.store = store;
        this.attempts = attempts;
        this.completion = completion;
        this.callbackPath = callbackPath;
        this.clock = clock;
        this.refusalHint = refusalHint;
        this.errorsEndingBundle = errorsEndingBundle;
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
        if (state == null) {
            return refuse(exchange, 400, "no state", null);
        }
        ScaAttempt attempt = attempts.byState(state).orElse(null);
        if (attempt == null) {
            return refuse(exchange, 400, "unknown state", null);
        }
        String bundleId = attempt.bundleId();
        BundleRow bundle = store.bundle(bundleId).orElseThrow();
        String cookie = BrowserBinding.cookies(exchange.getMessage().getHeader("Cookie", String.class))
                .get(BrowserBinding.cookieName(state));
        if (!BrowserBinding.matches(cookie, attempt.browserBinding())) {
            return refuse(exchange, 403, "the answer did not come back in the browser that opened this authorisation"
                    + " link", bundleId);
        }
        if (!attempt.open()) {
            return refuse(exchange, 409, "this authorisation attempt has already ended ("
                    + (ScaAttempt.ENDED.equals(attempt.outcome()) ? attempt.reason() : attempt.outcome()) + ")", bundleId);
        }
        if (!bundle.awaitsSca()) {
            return refuse(exchange, 409, "the batch no longer waits for approval (it is "
                    + (bundle.withdrawAs() != null ? bundle.withdrawAs() : bundle.state()) + ")", bundleId);
        }
        if (clock.instant().isAfter(attempt.expiresAt())) {
            return refuse(exchange, 410, "this authorisation attempt has expired; open the authorisation link again", bundleId);
        }
        String error = blankToNull(params.get("error"));
        if (error != null) {
            return bankError(exchange, attempt, error, blankToNull(params.get("error_description")));
        }
        try {
            ScaCompletion.Outcome outcome = completion.complete(bundle, attempt, blankToNull(params.get("code")),
                    blankToNull(params.get("id_token")));
            if (!outcome.authorized()) {
                return Pages.show(exchange, outcome.status(), "Payments not authorised", outcome.reason());
            }
            exchange.setVariable(AUTHORIZED_BUNDLE, bundleId);
            return Pages.show(exchange, 200, "Payments authorised",
                    "Thank you. The payments are being submitted to the bank; you can close this window.");
        } catch (BankError e) {
            LOG.warn("Bundle {}: code exchange failed: {}", bundleId, e.getMessage());
            String what = e.outcome() == BankError.Outcome.UNKNOWN ? "The bank's answer was lost on the way"
                    : e.outcome() == BankError.Outcome.REFUSED ? "The bank refused to complete the authorisation"
                    : "The bank is not answering";
            return Pages.show(exchange, 502, what, what + "; nothing was paid. PIS Bridge checks the authorisation with"
                    + " the bank and, if it cannot be used any more, prepares the payments again and sends a new"
                    + " authorisation link.");
        }
    }

    /**
     * The bank sent the attempt back with an error: the attempt ends and the bundle waits for the
     * next one (its authorization is read at the bank to see whether it still can be approved),
     * unless this error is configured to end the bundle.
     */
    private String bankError(Exchange exchange, ScaAttempt attempt, String error, String description) {
        String said = error + (description == null ? "" : " (" + description + ")");
        String hint = refusalHint.apply(error, description);
        String reason = "the bank ended an SCA attempt: " + said + (hint != null ? "; " + hint : "");
        if (!attempts.endedByError(attempt, reason)) {
            return refuse(exchange, 409, "this authorisation attempt has already ended", attempt.bundleId());
        }
        if (errorsEndingBundle.contains(error)) {
            store.withdraw(attempt.bundleId(), BundleState.SCA_REJECTED, reason);
            LOG.warn("Bundle {}: {}; the bundle ends (pis.sca.errors-ending-bundle)", attempt.bundleId(), reason);
            return Pages.show(exchange, 200, "Payments not authorised", "The bank reported: " + said
                    + ". The payments of this batch will not be made.");
        }
        LOG.warn("Bundle {}: {}; the bundle waits for another attempt", attempt.bundleId(), reason);
        return Pages.show(exchange, 200, "Payments not authorised yet", "The bank reported: " + said
                + ". Nothing was approved or paid. You can try again: open the authorisation link again.")
                .replace("</body>", "<p><a href=\"/sca/" + Pages.escape(attempt.bundleId()) + "\">Try again</a></p></body>");
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
