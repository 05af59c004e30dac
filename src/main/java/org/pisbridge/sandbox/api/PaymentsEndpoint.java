package org.pisbridge.sandbox.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.pisbridge.sandbox.ClientSignatures;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxError;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.PaymentStatus;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;
import org.pisbridge.sandbox.model.TokenGrant.Kind;

/**
 * {@code /payments-psd2/v1/sepa-payments}: create (signed, idempotent, bundled under an authorization),
 * read with status progression, delete before submission.
 */
final class PaymentsEndpoint {
    private final SandboxContext ctx;
    private final ApiAccess access;
    private final ClientSignatures signatures;
    private final StatusProgression progression;

    PaymentsEndpoint(SandboxContext ctx) {
        this.ctx = ctx;
        this.access = new ApiAccess(ctx);
        this.signatures = new ClientSignatures(ctx);
        this.progression = new StatusProgression(ctx);
    }

    ApiResponse create(ApiRequest request) {
        ApiAccess.Caller caller = access.requireForCreation(request, Kind.CLIENT, Kind.USER);
        String idempotencyKey = request.header("x-idempotency-key");
        if (idempotencyKey == null) {
            throw SandboxError.validation("x-idempotency-key header is missing");
        }
        String jws = request.header("x-jws-signature");
        if (jws == null) {
            throw SandboxError.security("x-jws-signature header is missing; it is mandatory for payment creation");
        }
        signatures.verifyDetached(caller.client(), jws, request.body());

        String requestHash = sha256(request.body());
        boolean[] created = {false};
        // compute() makes "look up the key, else create" atomic: two concurrent requests with one key book one payment
        String paymentId = ctx.state().paymentsByIdempotencyKey.compute(caller.client().clientId + "|" + idempotencyKey,
                (key, existing) -> {
                    if (existing != null) {
                        return existing;
                    }
                    created[0] = true;
                    return create(caller, PaymentRequest.parse(request.body()), idempotencyKey, requestHash).paymentId;
                });
        SandboxPayment payment = ctx.state().payments.get(paymentId);
        if (!created[0] && !payment.requestHash.equals(requestHash)) {
            throw SandboxError.business("DuplicatePayment",
                    "x-idempotency-key " + idempotencyKey + " was already used for a payment with a different body");
        }
        synchronized (payment) {
            return ApiResponse.signedJson(201, PaymentView.payment(payment));
        }
    }

    private SandboxPayment create(ApiAccess.Caller caller, PaymentRequest order, String idempotencyKey, String requestHash) {
        Instant now = ctx.clock().instant();
        SandboxPayment p = new SandboxPayment();
        p.paymentId = UUID.randomUUID().toString();
        p.clientId = caller.client().clientId;
        p.idempotencyKey = idempotencyKey;
        p.requestHash = requestHash;
        p.payerIban = order.payerIban();
        p.payeeIban = order.payeeIban();
        p.payeeName = order.payeeName();
        p.amountEUR = order.amount();
        p.message = order.message();
        p.reference = order.reference();
        p.created = now;
        p.modified = now;

        SandboxAuthorization authorization;
        if (caller.grant().kind == Kind.USER) {
            if (order.authorizationId() != null) {
                throw SandboxError.validation("authorizationId is not allowed with a user access token: "
                        + "exemption payments cannot be bundled");
            }
            authorization = newAuthorization(p, now);
            authorization.exemption = true;
            authorization.userId = caller.grant().userId;
            authorization.refreshToken = caller.grant().parentRefreshToken;
        } else if (order.authorizationId() == null) {
            authorization = newAuthorization(p, now);
        } else {
            authorization = ctx.state().authorizations.get(order.authorizationId());
            if (authorization == null || !authorization.clientId.equals(p.clientId)) {
                throw SandboxError.validation("authorizationId " + order.authorizationId() + " is unknown");
            }
        }
        p.authorizationId = authorization.authorizationId;
        synchronized (authorization) {
            if (authorization.exemption && !authorization.paymentIds.isEmpty()) {
                throw SandboxError.business("IllegalState", "authorization " + authorization.authorizationId
                        + " belongs to an exemption payment; exemption payments cannot be bundled");
            }
            if (authorization.status != AuthorizationStatus.Unauthorized) {
                throw SandboxError.business("IllegalState", "authorization " + authorization.authorizationId + " is "
                        + authorization.status + "; payments can be added only while it is Unauthorized");
            }
            if (!authorization.payerIban.equals(p.payerIban)) {
                throw SandboxError.validation("payer.iban must be the payer of authorization " + authorization.authorizationId);
            }
            synchronized (p) {
                ctx.state().payments.put(p.paymentId, p);
                ctx.state().save(p);
            }
            authorization.paymentIds.add(p.paymentId);
            authorization.modified = now;
            ctx.state().authorizations.put(authorization.authorizationId, authorization);
            ctx.state().save(authorization);
        }
        return p;
    }

    private static SandboxAuthorization newAuthorization(SandboxPayment p, Instant now) {
        SandboxAuthorization a = new SandboxAuthorization();
        a.authorizationId = UUID.randomUUID().toString();
        a.clientId = p.clientId;
        a.payerIban = p.payerIban;
        a.created = now;
        a.modified = now;
        return a;
    }

    ApiResponse read(ApiRequest request) {
        ApiAccess.Caller caller = access.require(request, Kind.CLIENT, Kind.USER, Kind.EXEMPTION);
        SandboxPayment p = access.payment(caller, request.pathParam(0));
        progression.read(p);
        synchronized (p) {
            return ApiResponse.signedJson(200, PaymentView.payment(p));
        }
    }

    ApiResponse delete(ApiRequest request) {
        ApiAccess.Caller caller = access.require(request, Kind.CLIENT, Kind.USER, Kind.EXEMPTION);
        SandboxPayment p = access.payment(caller, request.pathParam(0));
        synchronized (p) {
            if (p.status == PaymentStatus.Deleted) {
                return ApiResponse.empty(204);
            }
            if (p.submissionId != null) {
                throw SandboxError.business("IllegalState", "payment " + p.paymentId + " is already submitted");
            }
            p.status = PaymentStatus.Deleted;
            p.modified = ctx.clock().instant();
            ctx.state().save(p);
        }
        return ApiResponse.empty(204);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
