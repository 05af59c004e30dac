package org.pisbridge.sandbox.authorize;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pisbridge.sandbox.AuthorizeStep;
import org.pisbridge.sandbox.Faults;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxSettings.SandboxUser;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pages a user goes through: {@code GET /oauth/authorize} checks the TPP's request and shows the
 * login page, {@code POST /oauth/authorize/login} checks the credentials and shows the consent page,
 * {@code POST /oauth/authorize/consent} records Approve or Reject and sends the user back to the TPP.
 */
final class AuthorizeFlow implements HttpHandler {
    static final String AUTHORIZE_PATH = "/oauth/authorize";
    private static final String SESSION_COOKIE = "sandbox_authorize_session";
    /** A user gets this many tries at the password before the TPP is told access_denied. */
    private static final int MAX_FAILED_LOGINS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeFlow.class);

    private final SandboxContext ctx;
    private final RequestObjects requestObjects;
    private final ConsentSessions sessions;
    private final ConsentDecisions decisions;

    AuthorizeFlow(SandboxContext ctx) {
        this.ctx = ctx;
        this.requestObjects = new RequestObjects(ctx);
        this.sessions = new ConsentSessions(ctx.clock());
        this.decisions = new ConsentDecisions(ctx);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        PageExchange page = new PageExchange(exchange);
        try {
            switch (page.path()) {
                case AUTHORIZE_PATH -> onlyIf(page, "GET", () -> start(page));
                case AuthorizePages.LOGIN_PATH -> onlyIf(page, "POST", () -> login(page));
                case AuthorizePages.CONSENT_PATH -> onlyIf(page, "POST", () -> decide(page));
                default -> page.html(404, AuthorizePages.error("Not found", "There is no page at this address."));
            }
        } catch (AuthorizationRefused refused) {
            refuse(page, refused);
        } catch (IllegalArgumentException malformed) {
            page.html(400, AuthorizePages.error("Bad request", "The request is malformed."));
        } catch (RuntimeException e) {
            LOG.error("Authorize page {} failed", page.path(), e);
            page.html(500, AuthorizePages.error("Technical error", "The bank could not complete your request."));
        } finally {
            exchange.close();
        }
    }

    private void start(PageExchange page) throws IOException, AuthorizationRefused {
        AuthorizationRequest request = requestObjects.read(page.query());
        Optional<Faults.AuthorizeError> injected = ctx.faults().takeAuthorizeError(AuthorizeStep.AUTHORIZE);
        if (injected.isPresent()) {
            // the request was valid and is spent (its nonce too): the TPP must start a new one
            page.redirect(ConsentDecisions.injected(request, injected.get()));
            return;
        }
        ConsentSession session = sessions.open(request);
        page.setCookie(SESSION_COOKIE, session.id, AUTHORIZE_PATH);
        page.html(200, AuthorizePages.login(session.id, clientName(request.clientId()), null));
    }

    private void login(PageExchange page) throws IOException, AuthorizationRefused {
        Map<String, List<String>> form = page.form();
        ConsentSession session = session(page, form);
        synchronized (session) {
            if (session.loggedIn()) {
                throw AuthorizationRefused.onPage("You are already logged in; use the approval page.");
            }
            String username = PageExchange.single(form, "username").orElse("");
            String password = PageExchange.single(form, "password").orElse("");
            SandboxUser user = ctx.settings().users().get(username);
            if (user == null || !MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                    user.password().getBytes(StandardCharsets.UTF_8))) {
                failedLogin(page, session);
                return;
            }
            SandboxAuthorization authorization = ctx.state().authorizations.get(session.request.authorizationId());
            if (authorization == null) {
                throw AuthorizationRefused.onPage("This authorization no longer exists.");
            }
            List<SandboxPayment> payments = decisions.payments(authorization);
            if (payments.isEmpty()) {
                throw AuthorizationRefused.onPage("This authorization has no payments left to approve.");
            }
            if (!decisions.ownsPayerAccounts(user.userId(), authorization, payments)) {
                sessions.close(session);
                page.clearCookie(SESSION_COOKIE, AUTHORIZE_PATH);
                page.redirect(ConsentDecisions.denied(session.request, "the payer account is not one of the user's accounts"));
                return;
            }
            session.userId = user.userId();
            session.shownPaymentIds = payments.stream().map(p -> p.paymentId).toList();
            page.html(200, AuthorizePages.consent(session.id, clientName(session.request.clientId()), user.userId(),
                    ConsentDecisions.payerIbans(authorization, payments), payments));
        }
    }

    private void failedLogin(PageExchange page, ConsentSession session) throws IOException {
        session.failedLogins++;
        int left = MAX_FAILED_LOGINS - session.failedLogins;
        if (left > 0) {
            page.html(401, AuthorizePages.login(session.id, clientName(session.request.clientId()),
                    "Wrong user ID or password. " + left + " tr" + (left == 1 ? "y" : "ies") + " left."));
            return;
        }
        sessions.close(session);
        page.clearCookie(SESSION_COOKIE, AUTHORIZE_PATH);
        page.redirect(ConsentDecisions.denied(session.request, "too many failed login attempts"));
    }

    private void decide(PageExchange page) throws IOException, AuthorizationRefused {
        Map<String, List<String>> form = page.form();
        ConsentSession session = session(page, form);
        synchronized (session) {
            String decision = PageExchange.single(form, "decision").orElse("");
            if (!decision.equals("approve") && !decision.equals("reject")) {
                throw AuthorizationRefused.onPage("Choose Approve or Reject.");
            }
            // One decision per session, whatever its outcome: a refused approval is not retried with stale pages.
            sessions.close(session);
            page.clearCookie(SESSION_COOKIE, AUTHORIZE_PATH);
            page.redirect(decision.equals("approve") ? decisions.approve(session) : decisions.reject(session));
        }
    }

    private ConsentSession session(PageExchange page, Map<String, List<String>> form) throws AuthorizationRefused {
        return sessions.find(page.cookie(SESSION_COOKIE), PageExchange.single(form, "session"))
                .orElseThrow(() -> AuthorizationRefused.onPage(
                        "Your session has expired or is not valid in this browser."));
    }

    private void refuse(PageExchange page, AuthorizationRefused refused) throws IOException {
        if (refused.redirectUri() == null) {
            page.html(400, AuthorizePages.error("The request cannot be served", refused.getMessage()));
            return;
        }
        page.redirect(ClientRedirect.withError(refused.redirectUri(), refused.state(), refused.error(),
                refused.getMessage()));
    }

    private String clientName(String clientId) {
        RegisteredClient client = ctx.state().clients.get(clientId);
        Object name = client == null ? null : client.metadata.get("client_name");
        return name instanceof String s && !s.isBlank() ? s : clientId;
    }

    private static void onlyIf(PageExchange page, String method, Step step) throws IOException, AuthorizationRefused {
        if (!method.equals(page.method())) {
            page.methodNotAllowed(method);
            return;
        }
        step.run();
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException, AuthorizationRefused;
    }
}
