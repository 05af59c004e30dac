package org.pisbridge.sandbox.api;

import java.util.Set;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxError;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * The checks OP's gateway makes on every business call: {@code x-api-key}, {@code x-fapi-financial-id}
 * and a live bearer access token of the kind the operation accepts.
 */
final class ApiAccess {
    /** Who is calling: the client and the access token it presented. */
    record Caller(RegisteredClient client, TokenGrant grant) {
    }

    private final SandboxContext ctx;

    ApiAccess(SandboxContext ctx) {
        this.ctx = ctx;
    }

    Caller require(ApiRequest request, TokenGrant.Kind... accepted) {
        return require(request, false, accepted);
    }

    /** The checks for creating a payment, where x-fapi-financial-id is mandatory. */
    Caller requireForCreation(ApiRequest request, TokenGrant.Kind... accepted) {
        return require(request, true, accepted);
    }

    private Caller require(ApiRequest request, boolean requireFinancialId, TokenGrant.Kind... accepted) {
        String apiKey = request.header("x-api-key");
        if (apiKey == null) {
            throw SandboxError.security("x-api-key header is missing");
        }
        // the document sends x-fapi-financial-id when creating payments only (its submission call
        // carries x-api-key and Authorization alone); where it is sent it must be right
        String financialId = request.header("x-fapi-financial-id");
        if (financialId == null && requireFinancialId) {
            throw SandboxError.security("x-fapi-financial-id header is missing");
        }
        if (financialId != null && !financialId.equals(ctx.settings().financialId())) {
            throw forbidden("x-fapi-financial-id does not identify this bank");
        }
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw SandboxError.security("Authorization header with a Bearer access token is missing");
        }
        TokenGrant grant = ctx.state().tokens.get(authorization.substring(7).trim());
        RegisteredClient client = grant == null ? null : ctx.state().clients.get(grant.clientId);
        if (grant == null || grant.kind == TokenGrant.Kind.REFRESH || client == null || client.deleted
                || !grant.isActive(ctx.clock().instant())) {
            throw SandboxError.security("the access token is invalid, expired or revoked");
        }
        if (!apiKey.equals(client.apiKey)) {
            throw forbidden("x-api-key does not belong to the client of the access token");
        }
        if (!Set.of(accepted).contains(grant.kind)) {
            throw forbidden("a " + grant.kind.name().toLowerCase() + " access token cannot be used for this operation");
        }
        return new Caller(client, grant);
    }

    /** The caller's payment; another client's payment is as unknown as a missing one. */
    SandboxPayment payment(Caller caller, String paymentId) {
        SandboxPayment p = ctx.state().payments.get(paymentId);
        if (p == null || !p.clientId.equals(caller.client().clientId)) {
            throw notFound("payment " + paymentId + " not found");
        }
        return p;
    }

    /** The caller's authorization; another client's authorization is as unknown as a missing one. */
    SandboxAuthorization authorization(Caller caller, String authorizationId) {
        SandboxAuthorization a = ctx.state().authorizations.get(authorizationId);
        if (a == null || !a.clientId.equals(caller.client().clientId)) {
            throw notFound("authorization " + authorizationId + " not found");
        }
        return a;
    }

    private static SandboxError notFound(String message) {
        return new SandboxError(404, SandboxError.Type.BUSINESS, "NotFound", message);
    }

    static SandboxError forbidden(String message) {
        return new SandboxError(403, SandboxError.Type.SECURITY, null, message);
    }
}
