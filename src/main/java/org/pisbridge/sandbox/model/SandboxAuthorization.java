package org.pisbridge.sandbox.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One authorizationId: the bundle of payments a user approves with one SCA (or one exemption payment). */
public final class SandboxAuthorization {
    public String authorizationId;
    public String clientId;
    public AuthorizationStatus status = AuthorizationStatus.Unauthorized;
    public String payerIban;
    public final List<String> paymentIds = new ArrayList<>();
    /** Created with an access token from a refresh-token grant: no bundling, authorised by jwt-bearer. */
    public boolean exemption;
    /** The user who approved it (or whose earlier SCA an exemption reuses). */
    public String userId;
    /**
     * Exemption only: the refresh token behind the USER token that created it; the jwt-bearer grant
     * finds the SCA (and its exemption counters) being reused through it.
     */
    public String refreshToken;
    public Instant created;
    public Instant modified;
}
