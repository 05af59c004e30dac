package org.pisbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A TPP as the tests play it: mTLS HTTPS from the TPP material, the signing key, and the OP calls. */
final class TppClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PAYMENTS = "/payments-psd2/v1/sepa-payments";

    final SandboxBank bank;
    final TppMaterial tpp;
    final HttpClient http;
    final ECKey signingKey;
    String clientId;
    String clientSecret;
    String apiKey;

    TppClient(SandboxBank bank) {
        this(bank, bank.tpp().clientKeyStore());
    }

    /** A client presenting the certificate in {@code keyStore} (null: no certificate at all). */
    TppClient(SandboxBank bank, Path keyStore) {
        this.bank = bank;
        this.tpp = bank.tpp();
        this.http = HttpClient.newBuilder().sslContext(ssl(tpp, keyStore)).build();
        this.clientId = tpp.clientId();
        this.clientSecret = tpp.clientSecret();
        this.apiKey = tpp.apiKey();
        try {
            this.signingKey = new ECKey.Builder(JWK.parseFromPEMEncodedObjects(Files.readString(tpp.signingKeyPem())).toECKey())
                    .keyID(tpp.signingKid()).build();
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext ssl(TppMaterial tpp, Path keyStore) {
        try {
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(keyStore)) {
                    ks.load(in, tpp.keyStorePassword().toCharArray());
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, tpp.keyStorePassword().toCharArray());
            }
            KeyStore ts = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tpp.trustStore())) {
                ts.load(in, tpp.trustStorePassword().toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(bank.apiBaseUrl() + path));
    }

    // --- token endpoint

    HttpResponse<byte[]> token(Map<String, String> form) throws IOException, InterruptedException {
        return send(request("/oauth/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
    }

    /** The form with this client's client_secret_post credentials added. */
    Map<String, String> withSecret(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return form;
    }

    String clientToken() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = token(withSecret("grant_type", "client_credentials", "scope", "payments"));
        return json(response).get("access_token").asText();
    }

    /** A refresh token of an SCA {@code userId} completed for {@code authorizationId}, as the authorize host would leave it. */
    String refreshTokenOfSca(String userId, String authorizationId) {
        org.pisbridge.sandbox.model.TokenGrant grant = new org.pisbridge.sandbox.model.TokenGrant();
        grant.token = "rt-" + UUID.randomUUID();
        grant.kind = org.pisbridge.sandbox.model.TokenGrant.Kind.REFRESH;
        grant.clientId = clientId;
        grant.scope = "openid payments";
        grant.userId = userId;
        grant.authorizationId = authorizationId;
        grant.issuedAt = java.time.Instant.now();
        grant.scaAt = grant.issuedAt;
        grant.expiresAt = grant.issuedAt.plus(java.time.Duration.ofDays(45));
        bank.state().tokens.put(grant.token, grant);
        return grant.token;
    }

    /** grant_type=refresh_token: returns the token response (access_token, refresh_token). */
    JsonNode refresh(String refreshToken) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = token(withSecret("grant_type", "refresh_token", "refresh_token", refreshToken,
                "scope", "payments"));
        if (response.statusCode() != 200) {
            throw new AssertionError("refresh failed: " + response.statusCode() + " " + text(response));
        }
        return json(response);
    }

    // --- payments API

    /** A POST sepa-payments with every header right; tests take headers away or spoil them. */
    Map<String, String> paymentHeaders(String accessToken, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", apiKey);
        headers.put("Authorization", "Bearer " + accessToken);
        headers.put("x-jws-signature", signDetached(body));
        headers.put("x-fapi-financial-id", "test");
        headers.put("x-idempotency-key", UUID.randomUUID().toString());
        headers.put("Accept", "application/json");
        headers.put("Content-Type", "application/json");
        return headers;
    }

    HttpResponse<byte[]> createPayment(Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(PAYMENTS).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    JsonNode createPayment(String accessToken, String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = createPayment(paymentHeaders(accessToken, bytes), bytes);
        if (response.statusCode() != 201) {
            throw new AssertionError("payment creation failed: " + response.statusCode() + " " + text(response));
        }
        return json(response);
    }

    HttpResponse<byte[]> call(String method, String path, String accessToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).method(method, HttpRequest.BodyPublishers.noBody())
                .header("x-api-key", apiKey).header("x-fapi-financial-id", "test");
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        return send(request.build());
    }

    static String payment(String payer, String payee, String amount) {
        return "{\"payee\":{\"iban\":\"" + payee + "\", \"name\":\"Test_Person\"}, \"payer\":{\"iban\":\"" + payer
                + "\"}, \"message\":\"test_payment\", \"amountEUR\":\"" + amount + "\"}";
    }

    static String bundled(String payer, String payee, String amount, String authorizationId) {
        return "{\"payee\":{\"iban\":\"" + payee + "\", \"name\":\"Test_Person\"}, \"payer\":{\"iban\":\"" + payer
                + "\"}, \"message\":\"test_payment\", \"amountEUR\":\"" + amount + "\", \"authorizationId\":\""
                + authorizationId + "\"}";
    }

    // --- signatures

    /** Detached ES256 JWS over the exact bytes, as OP's sample code makes it. */
    String signDetached(byte[] body) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).build(),
                    new Payload(body));
            jws.sign(new ECDSASigner(signingKey));
            return jws.serialize(true);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String signJwt(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                    .type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
            jwt.sign(new ECDSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OP step 8: put the received body in the middle of the detached JWS and verify it with the bank's JWKS. */
    static boolean responseSignatureVerifies(HttpResponse<byte[]> response, JWKSet bankJwks) {
        String detached = response.headers().firstValue("x-jws-signature").orElseThrow();
        String[] parts = detached.split("\\.", -1);
        try {
            JWSObject jws = JWSObject.parse(parts[0] + "." + Base64URL.encode(response.body()) + "." + parts[2]);
            ECKey key = bankJwks.getKeyByKeyId(jws.getHeader().getKeyID()).toECKey();
            return jws.verify(new ECDSAVerifier(key));
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text(response), e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static String form(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
