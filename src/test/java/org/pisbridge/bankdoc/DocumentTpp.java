package org.pisbridge.bankdoc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A TPP written from OP's "Workflow for PSD2 Payments API" document (and RFC 7591/7592/7009 for registration
 * and revocation), not from the sandbox's code: every call is made over mTLS the way the document shows it,
 * and every business response's detached signature is verified (document step 8).
 */
final class DocumentTpp {
    static final String TOKEN = "/oauth/token";
    static final String REVOKE = "/oauth/revoke";
    static final String REGISTRATION = "/tpp-registration";
    static final String PAYMENTS = "/payments-psd2/v1/sepa-payments";
    static final String AUTHORIZATIONS = "/payments-psd2/v1/authorizations";
    static final String ID_TOKEN_JWKS = "/oauth/jwks/PSD2_OIDC";
    static final String PAYMENTS_JWKS = "/psd2/jwks/payments/jwks.json";

    private final HttpClient mtls;
    private final String apiBaseUrl;
    private final String authorizeBaseUrl;
    private final TppIdentity identity;
    private final String financialId;
    private final BankJwks paymentsJwks;
    private final BankJwks idTokenJwks;

    private DocumentTpp(HttpClient mtls, String apiBaseUrl, String authorizeBaseUrl, TppIdentity identity,
                        String financialId, BankJwks paymentsJwks, BankJwks idTokenJwks) {
        this.mtls = mtls;
        this.apiBaseUrl = apiBaseUrl;
        this.authorizeBaseUrl = authorizeBaseUrl;
        this.identity = identity;
        this.financialId = financialId;
        this.paymentsJwks = paymentsJwks;
        this.idTokenJwks = idTokenJwks;
    }

    /**
     * @param clientTls  mTLS context with the TPP's client certificate, trusting the bank's CA
     * @param browserTls TLS context without a client certificate, for the public JWKS on the authorize host
     */
    static DocumentTpp connect(SSLContext clientTls, SSLContext browserTls, String apiBaseUrl,
                               String authorizeBaseUrl, TppIdentity identity, String financialId) {
        HttpClient publicHost = httpClient(browserTls);
        return new DocumentTpp(httpClient(clientTls), apiBaseUrl, authorizeBaseUrl, identity, financialId,
                new BankJwks(publicHost, URI.create(authorizeBaseUrl + PAYMENTS_JWKS)),
                new BankJwks(publicHost, URI.create(authorizeBaseUrl + ID_TOKEN_JWKS)));
    }

    /** HTTP/1.1, TLS 1.2+, no redirects followed: the TPP reads every answer itself. */
    static HttpClient httpClient(SSLContext tls) {
        return HttpClient.newBuilder()
                .sslContext(tls)
                .sslParameters(MutualTls.parameters())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The same TPP (certificate, keys, app) acting as another OAuth client, e.g. one it registered. */
    DocumentTpp as(TppIdentity other) {
        return new DocumentTpp(mtls, apiBaseUrl, authorizeBaseUrl, other, financialId, paymentsJwks, idTokenJwks);
    }

    TppIdentity identity() {
        return identity;
    }

    String financialId() {
        return financialId;
    }

    String apiBaseUrl() {
        return apiBaseUrl;
    }

    String authorizeBaseUrl() {
        return authorizeBaseUrl;
    }

    IdTokenValidator idTokenValidator() {
        return new IdTokenValidator(idTokenJwks, authorizeBaseUrl, identity.clientId());
    }

    // ---- token endpoint (document steps 2 and 5, refreshing, exemption steps 2 and 4)

    /** Step 2: {@code grant_type=client_credentials&scope=payments&client_id=..&client_secret=..}. */
    TokenResponse clientCredentialsToken() {
        return token(credentials(form("grant_type", "client_credentials", "scope", "payments")));
    }

    /** Step 5: {@code grant_type=authorization_code&code=..&redirect_uri=..&client_id=..&client_secret=..}. */
    TokenResponse exchangeCode(String code) {
        return exchangeCode(code, identity.redirectUri());
    }

    TokenResponse exchangeCode(String code, String redirectUri) {
        return token(credentials(form("grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri)));
    }

    /** "Refreshing tokens", and the exemption flow's step 2 with {@code scope=payments}; scope may be null. */
    TokenResponse refresh(String refreshToken, String scope) {
        Map<String, String> form = form("grant_type", "refresh_token", "refresh_token", refreshToken);
        if (scope != null) {
            form.put("scope", scope);
        }
        return token(credentials(form));
    }

    /** Exemption flow step 4: the request JWT confirming reuse of the earlier authorization. */
    String exemptionAssertion(String authorizationId, String state, String nonce) {
        return RequestObject.exemption(identity, apiBaseUrl, authorizationId, state, nonce)
                .sign(identity.signingKey(), identity.signingKid());
    }

    /** Exemption flow step 4's token call, with the body parameters in the document's cURL order. */
    TokenResponse jwtBearer(String assertion) {
        Map<String, String> form = form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", assertion, "response_type", "token");
        credentials(form).put("scope", "payments");
        return token(form);
    }

    TokenResponse token(Map<String, String> form) {
        return new TokenResponse(send("POST", TOKEN, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Accept", "application/json"), formBody(form)));
    }

    /** RFC 7009, authenticated the way this client authenticates at the token endpoint. */
    BankResponse revoke(String token, String tokenTypeHint) {
        Map<String, String> form = form("token", token);
        if (tokenTypeHint != null) {
            form.put("token_type_hint", tokenTypeHint);
        }
        return send("POST", REVOKE, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                formBody(credentials(form)));
    }

    // ---- request object and the authorize URL (section 4)

    /** Section 4.1 exactly, for this client's registered redirect URI. */
    String requestObject(String authorizationId, String state, String nonce, String responseType) {
        return requestObjectClaims(authorizationId, state, nonce, responseType)
                .sign(identity.signingKey(), identity.signingKid());
    }

    RequestObject requestObjectClaims(String authorizationId, String state, String nonce, String responseType) {
        return RequestObject.defaultFlow(identity, apiBaseUrl, authorizationId, state, nonce, responseType);
    }

    /** Section 4.2: request, response_type, client_id and scope, URL-encoded, equal to the JWT's. */
    URI authorizeUrl(String requestObject, String responseType) {
        return authorizeUrl(requestObject, responseType, identity.clientId(), "openid payments");
    }

    URI authorizeUrl(String requestObject, String responseType, String clientId, String scope) {
        return URI.create(authorizeBaseUrl + "/oauth/authorize?" + formBodyText(form("request", requestObject,
                "response_type", responseType, "client_id", clientId, "scope", scope))
                .replace("+", "%20"));
    }

    // ---- payments and authorizations (steps 3, 6, 7)

    PaymentCreation paymentCreation(String token, String idempotencyKey, String jsonBody) {
        return new PaymentCreation(this, token, idempotencyKey, jsonBody);
    }

    /** Step 3; {@code authorizationId} null opens a new bundle. */
    BankResponse createPayment(String token, String idempotencyKey, String jsonBody, String authorizationId) {
        PaymentCreation creation = paymentCreation(token, idempotencyKey, jsonBody);
        if (authorizationId != null) {
            creation.authorizationId(authorizationId);
        }
        return creation.send();
    }

    /** Step 6: an empty PUT, with the headers this TPP sends on every business call. */
    BankResponse submit(String token, String paymentId, String submissionId) {
        return business("PUT", PAYMENTS + "/" + paymentId + "/submissions/" + submissionId, readHeaders(token),
                new byte[0]);
    }

    /** Step 6 exactly as the document's submission cURL: x-api-key, Authorization and an empty body, nothing more. */
    BankResponse submitAsTheDocumentShows(String token, String paymentId, String submissionId) {
        return business("PUT", PAYMENTS + "/" + paymentId + "/submissions/" + submissionId,
                Map.of("x-api-key", identity.apiKey(), "Authorization", "Bearer " + token), new byte[0]);
    }

    /** Step 7: the payment's status, polled by paymentId. */
    BankResponse paymentStatus(String token, String paymentId) {
        return business("GET", PAYMENTS + "/" + paymentId, readHeaders(token), null);
    }

    BankResponse authorization(String token, String authorizationId) {
        return business("GET", AUTHORIZATIONS + "/" + authorizationId, readHeaders(token), null);
    }

    /**
     * Polls a payment until it reaches a final status, at most {@code maxReads} times; returns the last answer.
     * Counted, not timed: the sandbox moves a submission on per status read.
     */
    BankResponse pollToFinal(String token, String paymentId, int maxReads) {
        BankResponse last = null;
        for (int i = 0; i < maxReads; i++) {
            last = paymentStatus(token, paymentId).expect(200);
            String status = last.field("status");
            if ("Credited".equals(status) || "Rejected".equals(status) || "Error".equals(status)) {
                return last;
            }
        }
        return last;
    }

    // ---- registration (RFC 7591 / 7592)

    BankResponse register(Map<String, Object> metadata) {
        return send("POST", REGISTRATION, jsonHeaders(null), json(metadata));
    }

    BankResponse readRegistration(String registrationClientUri, String registrationAccessToken) {
        return send("GET", path(registrationClientUri), jsonHeaders(registrationAccessToken), null);
    }

    BankResponse updateRegistration(String registrationClientUri, String registrationAccessToken,
                                    Map<String, Object> metadata) {
        return send("PUT", path(registrationClientUri), jsonHeaders(registrationAccessToken), json(metadata));
    }

    BankResponse deleteRegistration(String registrationClientUri, String registrationAccessToken) {
        return send("DELETE", path(registrationClientUri), jsonHeaders(registrationAccessToken), null);
    }

    // ---- step 8

    /** Document step 8: header + '.' + BASE64URL(received body) + '.' + signature, against the payments JWKS. */
    void verifyResponseSignature(BankResponse response) {
        String detached = response.header("x-jws-signature")
                .orElseThrow(() -> new AssertionError(response.describe() + " has no x-jws-signature"));
        DetachedJws.verify(detached, response.body(), paymentsJwks);
    }

    /** A business call: every successful answer must carry a valid signature; an error answer, if it has one. */
    BankResponse business(String method, String path, Map<String, String> headers, byte[] body) {
        BankResponse response = send(method, path, headers, body);
        if (response.isSuccess() || response.header("x-jws-signature").isPresent()) {
            verifyResponseSignature(response);
        }
        return response;
    }

    BankResponse send(String method, String path, Map<String, String> headers, byte[] body) {
        URI uri = URI.create(apiBaseUrl + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = mtls.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new BankResponse(method, uri, response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Map<String, String> readHeaders(String token) {
        return Map.of("x-api-key", identity.apiKey(), "Authorization", "Bearer " + token,
                "x-fapi-financial-id", financialId, "Accept", "application/json");
    }

    private Map<String, String> jsonHeaders(String bearer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", identity.apiKey());
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        return headers;
    }

    /** client_secret_post, or just client_id for a tls_client_auth client whose credential is its certificate. */
    private Map<String, String> credentials(Map<String, String> form) {
        form.put("client_id", identity.clientId());
        if (identity.clientSecret() != null) {
            form.put("client_secret", identity.clientSecret());
        }
        return form;
    }

    private String path(String registrationClientUri) {
        URI uri = URI.create(registrationClientUri);
        return uri.isAbsolute() ? uri.getRawPath() : registrationClientUri;
    }

    private static byte[] json(Map<String, Object> value) {
        try {
            return BankResponse.JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> form(String... namesAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    static String formBodyText(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static byte[] formBody(Map<String, String> form) {
        return formBodyText(form).getBytes(StandardCharsets.UTF_8);
    }
}
