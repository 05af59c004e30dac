package org.pisbridge.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A refusal of the OAuth endpoints (token, revocation, registration), answered as RFC 6749 §5.2 /
 * RFC 7591 §3.2.2 {@code {"error": ..., "error_description": ...}}.
 */
public final class OAuthError extends RuntimeException {
    private final int status;
    private final String error;

    public OAuthError(int status, String error, String description) {
        super(description);
        this.status = status;
        this.error = error;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    public static OAuthError invalidClient(String description) {
        return new OAuthError(401, "invalid_client", description);
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError(400, "invalid_grant", description);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError(400, "invalid_scope", description);
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError(400, "unauthorized_client", description);
    }

    ApiResponse response() {
        ObjectNode body = ApiJson.object().put("error", error).put("error_description", getMessage());
        ApiResponse response = ApiResponse.tokenJson(status, body);
        if (status != 401) {
            return response;
        }
        // RFC 6749 §5.2 and RFC 6750 §3: a 401 names the scheme the client should authenticate with
        return response.withHeader("WWW-Authenticate", "invalid_token".equals(error)
                ? "Bearer error=\"invalid_token\"" : "Basic realm=\"sandbox-bank\"");
    }
}
