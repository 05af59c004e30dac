package org.pisbridge.sandbox.authorize;

import org.pisbridge.sandbox.SandboxContext;

/** Issues ID tokens signed with the bank's ID-token key (RS256), applying any armed {@code IdTokenFault}. */
public final class IdTokens {
    private final SandboxContext ctx;

    public IdTokens(SandboxContext ctx) {
        this.ctx = ctx;
    }

    /** Front channel ({@code response_type=code id_token}): carries s_hash and c_hash. */
    public String forAuthorizationResponse(String clientId, String authorizationId, String userId, String nonce,
                                           String state, String code) {
        throw new UnsupportedOperationException("implemented on the sandbox-authorize branch");
    }

    /** Token endpoint (authorization_code grant): carries at_hash and rt_hash. */
    public String forTokenResponse(String clientId, String authorizationId, String userId, String nonce,
                                   String accessToken, String refreshToken) {
        throw new UnsupportedOperationException("implemented on the sandbox-authorize branch");
    }
}
