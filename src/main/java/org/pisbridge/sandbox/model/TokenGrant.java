package org.pisbridge.sandbox.model;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A token the sandbox issued. {@code kind} says what it may do: CLIENT (client credentials,
 * scope payments: create payments), USER (after SCA or refresh: submit the authorization's
 * payments, create exemption payments), EXEMPTION (jwt-bearer: submit one exemption payment),
 * REFRESH (refresh token of a user's SCA).
 */
public final class TokenGrant {
    public enum Kind { CLIENT, USER, EXEMPTION, REFRESH }

    public String token;
    public Kind kind;
    public String clientId;
    public String scope;
    public String userId;
    /** The authorization the SCA (or exemption assertion) approved. */
    public String authorizationId;
    /** For access tokens from a refresh: the refresh token they came from, so revoking it ends them. */
    public String parentRefreshToken;
    public Instant issuedAt;
    public Instant expiresAt;
    /** REFRESH only: when the SCA behind it happened; exemption limits count from here. */
    public Instant scaAt;
    public int exemptionCount;
    public BigDecimal exemptionTotal = BigDecimal.ZERO;
    public boolean revoked;
    /** REFRESH only: the refresh token that replaced this one on rotation (exemption counters live on there). */
    public String replacedBy;

    public boolean isActive(Instant now) {
        return !revoked && (expiresAt == null || now.isBefore(expiresAt));
    }
}
