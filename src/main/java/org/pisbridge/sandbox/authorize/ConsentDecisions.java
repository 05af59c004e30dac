package org.pisbridge.sandbox.authorize;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pisbridge.sandbox.AuthorizeStep;
import org.pisbridge.sandbox.Faults;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxSettings.SandboxUser;
import org.pisbridge.sandbox.model.AuthorizationCode;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.PaymentStatus;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the user's Approve or Reject does to the ledger, and the address that tells the TPP. Locks
 * the authorization, then its payments, in that order (as the API host does), so a decision and a
 * payment change never interleave.
 */
final class ConsentDecisions {
    private static final Logger LOG = LoggerFactory.getLogger(ConsentDecisions.class);

    private final SandboxContext ctx;
    private final IdTokens idTokens;

    ConsentDecisions(SandboxContext ctx) {
        this.ctx = ctx;
        this.idTokens = new IdTokens(ctx);
    }

    /** The authorization's payments that are still to be approved (deleted ones are not). */
    List<SandboxPayment> payments(SandboxAuthorization authorization) {
        synchronized (authorization) {
            return authorization.paymentIds.stream()
                    .map(ctx.state().payments::get)
                    .filter(p -> p != null && p.status != PaymentStatus.Deleted)
                    .toList();
        }
    }

    static Set<String> payerIbans(SandboxAuthorization authorization, List<SandboxPayment> payments) {
        Set<String> ibans = new LinkedHashSet<>();
        if (authorization.payerIban != null) {
            ibans.add(authorization.payerIban);
        }
        payments.forEach(p -> ibans.add(p.payerIban));
        return ibans;
    }

    /** A user may approve only payments from accounts they own. */
    boolean ownsPayerAccounts(String userId, SandboxAuthorization authorization, List<SandboxPayment> payments) {
        SandboxUser user = ctx.settings().users().get(userId);
        return user != null && user.ownedIbans().containsAll(payerIbans(authorization, payments));
    }

    /**
     * Approves exactly the payments the consent page showed, issues a single-use code and answers
     * {@code ?state&code} or, for {@code code id_token}, {@code #state&code&id_token}.
     */
    String approve(ConsentSession session) throws AuthorizationRefused {
        AuthorizationRequest request = session.request;
        SandboxAuthorization authorization = decidable(session);
        String code = ConsentSessions.randomId();
        synchronized (authorization) {
            checkStillUndecided(authorization);
            List<SandboxPayment> payments = payments(authorization);
            if (!payments.stream().map(p -> p.paymentId).toList().equals(session.shownPaymentIds)) {
                throw AuthorizationRefused.onPage("The payments of this authorization changed while you were "
                        + "reviewing them. Nothing was approved.");
            }
            if (!ownsPayerAccounts(session.userId, authorization, payments)) {
                return denied(request, "the payer account is not one of the user's accounts");
            }
            Optional<Faults.AuthorizeError> injected = ctx.faults().takeAuthorizeError(AuthorizeStep.CONSENT);
            if (injected.isPresent()) {
                // the bank failed at the last moment: nothing approved, a new authorize request may still be
                LOG.info("Approval of authorization {} of client {} failed by an injected {}", request.authorizationId(),
                        request.clientId(), injected.get().error());
                return injected(request, injected.get());
            }
            Instant now = ctx.clock().instant();
            authorization.status = AuthorizationStatus.Authorized;
            authorization.userId = session.userId;
            authorization.modified = now;
            ctx.state().save(authorization);
            for (SandboxPayment payment : payments) {
                synchronized (payment) {
                    payment.status = PaymentStatus.Authorized;
                    payment.modified = now;
                    ctx.state().save(payment);
                }
            }
            AuthorizationCode issued = new AuthorizationCode();
            issued.code = code;
            issued.clientId = request.clientId();
            issued.redirectUri = request.redirectUri();
            issued.authorizationId = request.authorizationId();
            issued.userId = session.userId;
            issued.nonce = request.nonce();
            issued.scope = request.scope();
            issued.expiresAt = now.plus(ctx.settings().codeTtl());
            ctx.state().codes.put(code, issued);
            ctx.state().save(issued);
        }
        LOG.info("Authorization {} of client {} approved by user {}", request.authorizationId(), request.clientId(),
                session.userId);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("state", request.state());
        answer.put("code", code);
        if (!request.wantsIdToken()) {
            return ClientRedirect.withQuery(request.redirectUri(), answer);
        }
        answer.put("id_token", idTokens.forAuthorizationResponse(request.clientId(), request.authorizationId(),
                session.userId, request.nonce(), request.state(), code));
        return ClientRedirect.withFragment(request.redirectUri(), answer);
    }

    /** Rejects the authorization and its payments; the TPP hears {@code error=access_denied}. */
    String reject(ConsentSession session) throws AuthorizationRefused {
        AuthorizationRequest request = session.request;
        SandboxAuthorization authorization = decidable(session);
        synchronized (authorization) {
            checkStillUndecided(authorization);
            Instant now = ctx.clock().instant();
            authorization.status = AuthorizationStatus.Rejected;
            authorization.userId = session.userId;
            authorization.modified = now;
            ctx.state().save(authorization);
            for (SandboxPayment payment : payments(authorization)) {
                synchronized (payment) {
                    payment.status = PaymentStatus.Rejected;
                    payment.rejectionReason = "The payer rejected the authorization";
                    payment.modified = now;
                    ctx.state().save(payment);
                }
            }
        }
        LOG.info("Authorization {} of client {} rejected by user {}", request.authorizationId(), request.clientId(),
                session.userId);
        return denied(request, "the user rejected the payments");
    }

    /** {@code ?state&error=access_denied}: the user (or the bank on the user's behalf) said no. */
    static String denied(AuthorizationRequest request, String description) {
        return ClientRedirect.withError(request.redirectUri(), request.state(), "access_denied", description);
    }

    /** An injected error, told the TPP as the bank would tell a failure of its own. */
    static String injected(AuthorizationRequest request, Faults.AuthorizeError error) {
        return ClientRedirect.withError(request.redirectUri(), request.state(), error.error(), error.description());
    }

    private SandboxAuthorization decidable(ConsentSession session) throws AuthorizationRefused {
        if (!session.loggedIn()) {
            throw AuthorizationRefused.onPage("Log in before approving or rejecting payments.");
        }
        SandboxAuthorization authorization = ctx.state().authorizations.get(session.request.authorizationId());
        if (authorization == null) {
            throw AuthorizationRefused.onPage("This authorization no longer exists.");
        }
        return authorization;
    }

    private static void checkStillUndecided(SandboxAuthorization authorization) throws AuthorizationRefused {
        if (authorization.status != AuthorizationStatus.Unauthorized) {
            throw AuthorizationRefused.onPage("This authorization is already " + authorization.status
                    + "; it cannot be decided again.");
        }
    }
}
