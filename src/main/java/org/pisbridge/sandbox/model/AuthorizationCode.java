package org.pisbridge.sandbox.model;

import java.time.Instant;

/** A single-use code issued by the authorize pages and redeemed at the token endpoint. */
public final class AuthorizationCode {
    public String code;
    public String clientId;
    public String redirectUri;
    public String authorizationId;
    public String userId;
    public String nonce;
    public String scope;
    public Instant expiresAt;
    public boolean used;
}
