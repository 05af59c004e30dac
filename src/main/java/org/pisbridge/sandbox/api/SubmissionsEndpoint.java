package org.pisbridge.sandbox.api;

import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxError;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.PaymentStatus;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;
import org.pisbridge.sandbox.model.TokenGrant.Kind;

/**
 * {@code /payments-psd2/v1/sepa-payments/{paymentId}/submissions/{submissionId}}: the PUT that books an
 * authorized payment, idempotent by submissionId, and the status read of a submission.
 */
final class SubmissionsEndpoint {
    private static final int SUBMISSION_ID_MAX = 100;

    private final SandboxContext ctx;
    private final ApiAccess access;
    private final StatusProgression progression;
    private final Bookings bookings;

    SubmissionsEndpoint(SandboxContext ctx, Bookings bookings) {
        this.ctx = ctx;
        this.access = new ApiAccess(ctx);
        this.progression = new StatusProgression(ctx);
        this.bookings = bookings;
    }

    ApiResponse submit(ApiRequest request) {
        ApiAccess.Caller caller = access.require(request, Kind.USER, Kind.EXEMPTION);
        SandboxPayment p = access.payment(caller, request.pathParam(0));
        String submissionId = request.pathParam(1);
        if (submissionId.isBlank() || submissionId.length() > SUBMISSION_ID_MAX) {
            throw SandboxError.validation("submissionId must have 1 to " + SUBMISSION_ID_MAX + " characters");
        }
        if (!p.authorizationId.equals(caller.grant().authorizationId)) {
            throw ApiAccess.forbidden("the access token was not granted for authorization " + p.authorizationId);
        }
        SandboxAuthorization authorization = ctx.state().authorizations.get(p.authorizationId);
        // lock order everywhere: authorization, then payment
        synchronized (authorization) {
            synchronized (p) {
                if (submissionId.equals(p.submissionId)) {
                    return ApiResponse.signedJson(201, PaymentView.submission(p));
                }
                if (p.submissionId != null) {
                    throw SandboxError.business("IllegalState", "payment " + p.paymentId
                            + " is already submitted with another submissionId");
                }
                if (p.status == PaymentStatus.Deleted) {
                    throw SandboxError.business("IllegalState", "payment " + p.paymentId + " is deleted");
                }
                if (authorization.status != AuthorizationStatus.Authorized) {
                    throw SandboxError.business("IllegalState", "authorization " + authorization.authorizationId
                            + " is " + authorization.status + ", not Authorized");
                }
                p.submissionId = submissionId;
                p.status = PaymentStatus.Pending;
                p.statusReads = 0;
                p.modified = ctx.clock().instant();
                ctx.state().save(p);
                bookings.record(p.paymentId);
            }
            completeIfAllSubmitted(authorization);
            synchronized (p) {
                return ApiResponse.signedJson(201, PaymentView.submission(p));
            }
        }
    }

    private void completeIfAllSubmitted(SandboxAuthorization authorization) {
        boolean allSubmitted = authorization.paymentIds.stream().map(ctx.state().payments::get)
                .allMatch(p -> p.submissionId != null || p.status == PaymentStatus.Deleted);
        if (allSubmitted) {
            authorization.status = AuthorizationStatus.Completed;
            authorization.modified = ctx.clock().instant();
            ctx.state().save(authorization);
        }
    }

    ApiResponse read(ApiRequest request) {
        ApiAccess.Caller caller = access.require(request, Kind.CLIENT, Kind.USER, Kind.EXEMPTION);
        SandboxPayment p = access.payment(caller, request.pathParam(0));
        String submissionId = request.pathParam(1);
        synchronized (p) {
            if (!submissionId.equals(p.submissionId)) {
                throw new SandboxError(404, SandboxError.Type.BUSINESS, "NotFound",
                        "submission " + submissionId + " of payment " + p.paymentId + " not found");
            }
        }
        progression.read(p);
        synchronized (p) {
            return ApiResponse.signedJson(200, PaymentView.submission(p));
        }
    }
}
