package org.pisbridge.sandbox.api;

import com.nimbusds.jwt.JWTClaimsSet;
import java.math.BigDecimal;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pisbridge.sandbox.ClientSignatures;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxError;
import org.pisbridge.sandbox.SandboxSettings.SandboxUser;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.PaymentStatus;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.SandboxAuthorization;
import org.pisbridge.sandbox.model.SandboxPayment;
import org.pisbridge.sandbox.model.TokenGrant;

/**
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} (OP's exemption flow, step 4): the
 * client confirms, with a signed request JWT, that an exemption payment reuses the user's earlier SCA.
 * The bank decides here whether the payment is exempt from SCA:
 * <ul>
 *   <li>the payer account is owned by the user whose SCA is reused, and</li>
 *   <li>either the payee account is the same user's too, or the amount is below 30.00 EUR, fewer than
 *       5 exemption payments were authorized since that SCA, and their total with this one stays below
 *       100.00 EUR.</li>
 * </ul>
 * The counters live on the SCA's refresh token and are checked and updated under its lock, so
 * concurrent assertions never exceed the limits together.
 */
final class ExemptionGrant {
    static final BigDecimal SINGLE_LIMIT = new BigDecimal("30.00");
    static final BigDecimal CUMULATIVE_LIMIT = new BigDecimal("100.00");
    static final int COUNT_LIMIT = 5;
    private static final String ACR_CA = "urn:openbanking:psd2:ca";

    private final SandboxContext ctx;
    private final TokenIssuer issuer;
    private final ClientSignatures signatures;

    ExemptionGrant(SandboxContext ctx, TokenIssuer issuer) {
        this.ctx = ctx;
        this.issuer = issuer;
        this.signatures = new ClientSignatures(ctx);
    }

    ApiResponse grant(RegisteredClient client, Map<String, String> form) {
        if (!"token".equals(form.get("response_type"))) {
            throw OAuthError.invalidRequest("response_type must be token");
        }
        if (form.containsKey("scope") && !"payments".equals(form.get("scope"))) {
            throw OAuthError.invalidScope("scope must be payments");
        }
        String assertion = form.get("assertion");
        if (assertion == null) {
            throw OAuthError.invalidRequest("assertion is missing");
        }
        JWTClaimsSet claims;
        try {
            claims = signatures.verifyJwt(client, assertion);
            signatures.requireCurrent(claims);
        } catch (SandboxError e) {
            throw OAuthError.invalidGrant("assertion: " + e.getMessage());
        }
        String authorizationId = checkClaims(client, claims);

        SandboxAuthorization authorization = ctx.state().authorizations.get(authorizationId);
        if (authorization == null || !authorization.clientId.equals(client.clientId)) {
            throw OAuthError.invalidGrant("authorization " + authorizationId + " is unknown");
        }
        TokenGrant access = issuer.prepare(TokenGrant.Kind.EXEMPTION, client.clientId, "payments");
        synchronized (authorization) {
            if (!authorization.exemption || authorization.refreshToken == null) {
                throw OAuthError.invalidGrant("authorization " + authorizationId
                        + " was not created with a user access token from a refresh token; it needs SCA");
            }
            if (authorization.status != AuthorizationStatus.Unauthorized) {
                throw OAuthError.invalidGrant("authorization " + authorizationId + " is " + authorization.status);
            }
            SandboxPayment payment = ctx.state().payments.get(authorization.paymentIds.get(0));
            if (payment.status == PaymentStatus.Deleted) {
                throw OAuthError.invalidGrant("the payment of authorization " + authorizationId + " is deleted");
            }
            TokenGrant sca = countAgainstSca(authorization.refreshToken, client, payment);
            authorization.status = AuthorizationStatus.Authorized;
            authorization.userId = sca.userId;
            authorization.modified = ctx.clock().instant();
            ctx.state().save(authorization);
            access.userId = sca.userId;
            access.authorizationId = authorizationId;
            access.parentRefreshToken = sca.token;
        }
        issuer.store(access);
        return ApiResponse.tokenJson(200, ApiJson.object()
                .put("access_token", access.token)
                .put("token_type", "bearer")
                .put("expires_in", issuer.expiresIn())
                .put("scope", "payments"));
    }

    /** The request JWT's claims as OP's exemption flow defines them; returns the authorizationId they name. */
    private String checkClaims(RegisteredClient client, JWTClaimsSet claims) {
        try {
            require(client.clientId.equals(claims.getIssuer()), "iss must be the client_id");
            require(claims.getAudience() != null && claims.getAudience().stream()
                    .anyMatch(aud -> stripSlash(aud).equals(stripSlash(ctx.apiBaseUrl()))), "aud must be " + ctx.apiBaseUrl());
            require("token".equals(claims.getStringClaim("response_type")), "response_type must be token");
            require(client.clientId.equals(claims.getStringClaim("client_id")), "client_id must be the client's");
            require("payments".equals(claims.getStringClaim("scope")), "scope must be payments");
            require(notBlank(claims.getStringClaim("state")), "state is missing");
            require(notBlank(claims.getStringClaim("nonce")), "nonce is missing");
            require(claims.getClaim("max_age") instanceof Number, "max_age must be a number");
            Map<String, Object> requested = claims.getJSONObjectClaim("claims");
            require(requested != null, "claims is missing");
            Object acr = path(requested, "id_token", "acr", "values");
            require(acr instanceof List<?> values && values.equals(List.of(ACR_CA)),
                    "claims.id_token.acr.values must be exactly [" + ACR_CA + "]");
            Object idTokenAuthorization = path(requested, "id_token", "authorizationId", "value");
            Object userinfoAuthorization = path(requested, "userinfo", "authorizationId", "value");
            require(idTokenAuthorization instanceof String, "claims.id_token.authorizationId.value is missing");
            require(Objects.equals(idTokenAuthorization, userinfoAuthorization),
                    "claims.userinfo.authorizationId.value must equal claims.id_token.authorizationId.value");
            return (String) idTokenAuthorization;
        } catch (ParseException e) {
            throw OAuthError.invalidGrant("assertion: " + e.getMessage());
        }
    }

    /**
     * Finds the live refresh token of the SCA (following rotations), checks the exemption conditions
     * and counts this payment on it.
     */
    private TokenGrant countAgainstSca(String refreshToken, RegisteredClient client, SandboxPayment payment) {
        TokenGrant sca = ctx.state().tokens.get(refreshToken);
        while (sca != null) {
            synchronized (sca) {
                if (sca.replacedBy != null) {
                    sca = ctx.state().tokens.get(sca.replacedBy);
                    continue;
                }
                if (!sca.isActive(ctx.clock().instant()) || !sca.clientId.equals(client.clientId)) {
                    break;
                }
                SandboxUser user = ctx.settings().users().get(sca.userId);
                if (user == null || !user.ownedIbans().contains(payment.payerIban)) {
                    throw refused("the payer account is not owned by the user whose authorization is reused");
                }
                if (!user.ownedIbans().contains(payment.payeeIban)) {
                    checkLimits(sca, payment.amountEUR);
                    sca.exemptionCount++;
                    sca.exemptionTotal = sca.exemptionTotal.add(payment.amountEUR);
                    ctx.state().save(sca);
                }
                return sca;
            }
        }
        throw OAuthError.invalidGrant("the user's earlier authorization (refresh token) is expired or revoked; SCA is needed");
    }

    private static void checkLimits(TokenGrant sca, BigDecimal amount) {
        if (amount.compareTo(SINGLE_LIMIT) >= 0) {
            throw refused("amount " + amount + " is not below " + SINGLE_LIMIT + " EUR");
        }
        if (sca.exemptionCount >= COUNT_LIMIT) {
            throw refused(sca.exemptionCount + " exemption payments since the last SCA");
        }
        if (sca.exemptionTotal.add(amount).compareTo(CUMULATIVE_LIMIT) >= 0) {
            throw refused("cumulative amount since the last SCA would reach " + sca.exemptionTotal.add(amount) + " EUR");
        }
    }

    private static OAuthError refused(String reason) {
        return OAuthError.invalidGrant("exemption limit exceeded: " + reason);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw OAuthError.invalidGrant("assertion: " + message);
        }
    }

    private static Object path(Map<String, Object> root, String... names) {
        Object node = root;
        for (String name : names) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(name);
        }
        return node;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
