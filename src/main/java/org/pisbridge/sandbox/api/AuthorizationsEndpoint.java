package org.pisbridge.sandbox.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxError;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;
import org.pisbridge.sandbox.model.TokenGrant.Kind;

/** {@code /payments-psd2/v1/authorizations/{authorizationId}}: examine a bundle, or revoke it. */
final class AuthorizationsEndpoint {
    private final SandboxContext ctx;
    private final ApiAccess access;

    AuthorizationsEndpoint(SandboxContext ctx) {
        this.ctx = ctx;
        this.access = new ApiAccess(ctx);
    }

    ApiResponse read(ApiRequest request) {
        ApiAccess.Caller caller = access.require(request, Kind.CLIENT, Kind.USER, Kind.EXEMPTION);
        SandboxAuthorization a = access.authorization(caller, request.pathParam(0));
        synchronized (a) {
            ObjectNode body = ApiJson.object().put("authorizationId", a.authorizationId).put("status", a.status.name());
            ArrayNode payments = body.putArray("payments");
            for (String paymentId : a.paymentIds) {
                SandboxPayment p = ctx.state().payments.get(paymentId);
                synchronized (p) {
                    payments.add(PaymentView.payment(p));
                }
            }
            return ApiResponse.signedJson(200, body);
        }
    }

    /** Revokes the bundle: its unsubmitted payments can no longer be submitted. */
    ApiResponse revoke(ApiRequest request) {
        ApiAccess.Caller caller = access.require(request, Kind.CLIENT, Kind.USER, Kind.EXEMPTION);
        SandboxAuthorization a = access.authorization(caller, request.pathParam(0));
        synchronized (a) {
            if (a.status == AuthorizationStatus.Revoked || a.status == AuthorizationStatus.PartiallyRevoked) {
                return ApiResponse.empty(204);
            }
            if (a.status == AuthorizationStatus.Completed) {
                throw SandboxError.business("IllegalState", "authorization " + a.authorizationId
                        + " is Completed: all its payments are submitted");
            }
            boolean someSubmitted = a.paymentIds.stream().map(ctx.state().payments::get).anyMatch(p -> p.submissionId != null);
            a.status = someSubmitted ? AuthorizationStatus.PartiallyRevoked : AuthorizationStatus.Revoked;
            a.modified = ctx.clock().instant();
            ctx.state().save(a);
        }
        return ApiResponse.empty(204);
    }
}
