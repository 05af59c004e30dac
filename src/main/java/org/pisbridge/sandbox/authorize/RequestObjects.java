package org.pisbridge.sandbox.authorize;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.pisbridge.sandbox.AuthorizeRequestSeen;
import org.pisbridge.sandbox.ClientSignatures;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxError;
import org.pisbridge.sandbox.model.AuthorizationStatus;
import org.pisbridge.sandbox.model.RegisteredClient;
import org.pisbridge.sandbox.model.SandboxAuthorization;

/**
 * Reads the {@code /oauth/authorize} request of OP's document §4.1–4.2 as strictly as the document
 * states it: a request object signed by the client (RS256 or ES256, with kid and typ JWT) whose
 * {@code response_type}, {@code client_id} and {@code scope} equal the query parameters of the same
 * name, with every claim the default (SCA) flow requires.
 *
 * <p>{@code state} may use only the characters of RFC 4648 §5 Table 2 (A–Z a–z 0–9 - _). The
 * padding character '=' is not in that table and is refused. A nonce is accepted once per client.
 */
public final class RequestObjects {
    static final String SCOPE = "openid payments";
    private static final Pattern STATE = Pattern.compile("[A-Za-z0-9_-]+");

    private final SandboxContext ctx;

    public RequestObjects(SandboxContext ctx) {
        this.ctx = ctx;
    }

    /** Checks the whole request, the request object's signature included. */
    public AuthorizationRequest read(Map<String, List<String>> query) throws AuthorizationRefused {
        for (Map.Entry<String, List<String>> param : query.entrySet()) {
            if (param.getValue().size() > 1) {
                throw AuthorizationRefused.onPage("query parameter " + param.getKey() + " is given more than once");
            }
        }
        String request = required(query, "request");
        String clientId = required(query, "client_id");
        required(query, "response_type");
        required(query, "scope");

        RegisteredClient client = ctx.state().clients.get(clientId);
        if (client == null || client.deleted) {
            throw AuthorizationRefused.onPage("client_id " + clientId + " is not a registered client");
        }
        checkHeader(request);
        JWTClaimsSet claims;
        try {
            claims = new ClientSignatures(ctx).verifyJwt(client, request);
        } catch (SandboxError e) {
            throw AuthorizationRefused.onPage("the request object is not validly signed by client "
                    + clientId + ": " + e.getMessage());
        }
        AuthorizationRequest accepted = validate(client, flatten(query), claims);
        spendNonce(accepted);
        return accepted;
    }

    /**
     * The nonce protects against replay (§4.1): a client may use each nonce in one accepted request
     * only, so the same request object opened twice is refused the second time.
     */
    private void spendNonce(AuthorizationRequest request) throws AuthorizationRefused {
        AuthorizeRequestSeen seen = new AuthorizeRequestSeen(request.clientId(), request.authorizationId(),
                request.state(), request.nonce(), ctx.clock().instant());
        if (!ctx.state().acceptAuthorizeRequest(seen)) {
            throw AuthorizationRefused.toClient(request.redirectUri(), request.state(), "invalid_request_object",
                    "REQOBJ_NONCE_REUSED: this nonce was already used in an earlier authorize request of client "
                            + request.clientId() + "; every request object needs a new nonce");
        }
    }

    /**
     * Checks a request object's claims, already verified as signed by {@code client}, against the
     * query parameters. Problems found before redirect_uri is known to be the client's are refused on
     * the page; the others are sent to the client.
     */
    public AuthorizationRequest validate(RegisteredClient client, Map<String, String> query, JWTClaimsSet claims)
            throws AuthorizationRefused {
        String clientId = client.clientId;
        if (!clientId.equals(query.get("client_id")) || !clientId.equals(text(claims, "client_id"))) {
            throw AuthorizationRefused.onPage("client_id of the request object must equal the query parameter "
                    + "client_id and the client whose key signed it");
        }
        String redirectUri = text(claims, "redirect_uri");
        if (redirectUri == null) {
            throw AuthorizationRefused.onPage("redirect_uri is missing from the request object");
        }
        if (!client.redirectUris.contains(redirectUri)) {
            throw AuthorizationRefused.onPage("redirect_uri " + redirectUri + " is not registered for client " + clientId);
        }

        String rawState = text(claims, "state");
        String state = rawState != null && STATE.matcher(rawState).matches() ? rawState : null;
        RefusalToClient refuse = description ->
                AuthorizationRefused.toClient(redirectUri, state, "invalid_request", description);
        if (rawState == null) {
            throw refuse.because("state is missing from the request object");
        }
        if (state == null) {
            throw refuse.because("state may contain only A-Z a-z 0-9 - _ (RFC 4648 section 5, table 2)");
        }
        if (!clientId.equals(claims.getIssuer())) {
            throw refuse.because("iss must be the client_id");
        }
        if (!List.of(ctx.apiBaseUrl()).equals(claims.getAudience())) {
            throw refuse.because("aud must be " + ctx.apiBaseUrl());
        }
        Date exp = claims.getExpirationTime();
        if (exp != null && !exp.toInstant().isAfter(ctx.clock().instant())) {
            throw refuse.because("the request object has expired");
        }
        String responseType = text(claims, "response_type");
        if (!AuthorizationRequest.CODE.equals(responseType) && !AuthorizationRequest.CODE_ID_TOKEN.equals(responseType)) {
            throw refuse.because("response_type must be 'code' or 'code id_token'");
        }
        if (!responseType.equals(query.get("response_type"))) {
            throw refuse.because("query parameter response_type must equal the request object's");
        }
        String scope = text(claims, "scope");
        if (!SCOPE.equals(scope)) {
            throw refuse.because("scope must be '" + SCOPE + "'");
        }
        if (!scope.equals(query.get("scope"))) {
            throw refuse.because("query parameter scope must equal the request object's");
        }
        String nonce = text(claims, "nonce");
        if (nonce == null || nonce.isBlank()) {
            throw refuse.because("nonce is missing from the request object");
        }
        if (!(claims.getClaim("max_age") instanceof Number maxAge) || maxAge.doubleValue() < 0
                || maxAge.doubleValue() != Math.rint(maxAge.doubleValue())) {
            throw refuse.because("max_age must be a non-negative whole number of seconds");
        }
        String authorizationId = authorizationId(claims, refuse);
        SandboxAuthorization authorization = ctx.state().authorizations.get(authorizationId);
        if (authorization == null || !clientId.equals(authorization.clientId)) {
            throw refuse.because("authorizationId " + authorizationId + " is not an authorization of client " + clientId);
        }
        if (authorization.status != AuthorizationStatus.Unauthorized) {
            throw refuse.because("authorization " + authorizationId + " is " + authorization.status
                    + "; only an Unauthorized authorization can be approved");
        }
        return new AuthorizationRequest(clientId, redirectUri, responseType, scope, state, nonce, authorizationId);
    }

    /** claims.userinfo.authorizationId and claims.id_token.authorizationId agree; acr asks for SCA. */
    private static String authorizationId(JWTClaimsSet claims, RefusalToClient refuse) throws AuthorizationRefused {
        Map<String, Object> requested = object(claims.getClaim("claims"));
        Map<String, Object> idToken = object(requested.get("id_token"));
        Map<String, Object> userinfo = object(requested.get("userinfo"));
        Object idTokenValue = object(idToken.get("authorizationId")).get("value");
        Object userinfoValue = object(userinfo.get("authorizationId")).get("value");
        if (!(idTokenValue instanceof String id) || id.isBlank()) {
            throw refuse.because("claims.id_token.authorizationId.value is missing");
        }
        if (!Objects.equals(idTokenValue, userinfoValue)) {
            throw refuse.because("claims.userinfo.authorizationId.value must equal claims.id_token.authorizationId.value");
        }
        if (!List.of(IdTokens.ACR_SCA).equals(object(idToken.get("acr")).get("values"))) {
            throw refuse.because("claims.id_token.acr.values must be [\"" + IdTokens.ACR_SCA + "\"]");
        }
        return id;
    }

    /** alg none and HMAC are refused here, whatever the key store would say, with the reason spelled out. */
    private static void checkHeader(String request) throws AuthorizationRefused {
        JWT jwt;
        try {
            jwt = JWTParser.parse(request);
        } catch (ParseException e) {
            throw AuthorizationRefused.onPage("the request parameter is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw AuthorizationRefused.onPage("the request object must be signed (RS256 or ES256); alg "
                    + jwt.getHeader().getAlgorithm() + " is refused");
        }
        JWSHeader header = signed.getHeader();
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm()) && !JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw AuthorizationRefused.onPage("request object alg " + header.getAlgorithm()
                    + " is refused; use RS256 or ES256");
        }
        if (header.getKeyID() == null) {
            throw AuthorizationRefused.onPage("the request object's header has no kid");
        }
        if (!JOSEObjectType.JWT.equals(header.getType())) {
            throw AuthorizationRefused.onPage("the request object's header must have typ JWT");
        }
    }

    private static String required(Map<String, List<String>> query, String name) throws AuthorizationRefused {
        Optional<String> value = PageExchange.single(query, name).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            throw AuthorizationRefused.onPage("query parameter " + name + " is missing");
        }
        return value.get();
    }

    private static Map<String, String> flatten(Map<String, List<String>> query) {
        return query.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));
    }

    private static String text(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @FunctionalInterface
    private interface RefusalToClient {
        AuthorizationRefused because(String description);
    }
}
