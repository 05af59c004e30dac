package org.pisbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pisbridge.sandbox.TppClient.JSON;
import static org.pisbridge.sandbox.TppClient.json;
import static org.pisbridge.sandbox.TppClient.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /tpp-registration: RFC 7591 registration and RFC 7592 management, and what a registered client can then do. */
class RegistrationTest {
    @TempDir
    static Path dataDir;
    static SandboxBank bank;

    @BeforeAll
    static void start() {
        bank = SandboxBank.start(SandboxSettings.defaults(dataDir));
    }

    @AfterAll
    static void stop() {
        bank.close();
    }

    @Test
    void aRegisteredClientIsReadUpdatedAndDeleted() throws Exception {
        TppClient tpp = new TppClient(bank);
        ObjectNode metadata = metadata("client_secret_basic", tpp.signingKey.toPublicJWK().toJSONString());
        HttpResponse<byte[]> created = register(tpp, metadata, tpp.apiKey);

        assertThat(created.statusCode()).as(TppClient.text(created)).isEqualTo(201);
        JsonNode client = json(created);
        String clientId = client.get("client_id").asText();
        String registrationToken = client.get("registration_access_token").asText();
        assertThat(client.get("client_secret").asText()).isNotBlank();
        assertThat(client.get("client_id_issued_at").asLong()).isPositive();
        assertThat(client.get("registration_client_uri").asText()).isEqualTo(bank.apiBaseUrl() + "/tpp-registration/" + clientId);
        assertThat(client.get("redirect_uris")).hasSize(1);

        HttpResponse<byte[]> read = manage(tpp, "GET", clientId, registrationToken, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).get("client_id").asText()).isEqualTo(clientId);
        assertThat(manage(tpp, "GET", clientId, "wrong-token", null).statusCode()).isEqualTo(401);

        ObjectNode update = metadata.deepCopy();
        update.put("client_id", clientId);
        update.putArray("redirect_uris").add("https://tpp.example/one").add("https://tpp.example/two");
        HttpResponse<byte[]> updated = manage(tpp, "PUT", clientId, registrationToken, update);
        assertThat(updated.statusCode()).as(TppClient.text(updated)).isEqualTo(200);
        assertThat(bank.state().clients.get(clientId).redirectUris).containsExactly("https://tpp.example/one", "https://tpp.example/two");

        // the registered client authenticates with its method, client_secret_basic
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + client.get("client_secret").asText())
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> token = tpp.send(tpp.request("/oauth/token")
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=payments")).build());
        assertThat(token.statusCode()).isEqualTo(200);
        String accessToken = json(token).get("access_token").asText();
        String authorizationId = tpp.createPayment(accessToken, payment("FI4950009420028730", "FI5850009420172322", "1.00"))
                .get("authorizationId").asText();

        assertThat(manage(tpp, "DELETE", clientId, registrationToken, null).statusCode()).isEqualTo(204);
        assertThat(manage(tpp, "GET", clientId, registrationToken, null).statusCode()).isEqualTo(401);
        assertThat(tpp.call("GET", "/payments-psd2/v1/authorizations/" + authorizationId, accessToken).statusCode()).isEqualTo(401);
    }

    @Test
    void aTlsClientAuthClientGetsTokensWithItsCertificateAlone() throws Exception {
        TppClient tpp = new TppClient(bank);
        HttpResponse<byte[]> created = register(tpp, metadata("tls_client_auth", tpp.signingKey.toPublicJWK().toJSONString()), tpp.apiKey);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode client = json(created);
        assertThat(client.has("client_secret")).isFalse();
        assertThat(client.get("tls_client_auth_subject_dn").asText()).isEqualTo("CN=pis-bridge-tpp,O=PIS Bridge TPP,C=FI");

        HttpResponse<byte[]> token = tpp.send(tpp.request("/oauth/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=payments&client_id="
                        + client.get("client_id").asText())).build());
        assertThat(token.statusCode()).as(TppClient.text(token)).isEqualTo(200);
    }

    @Test
    void aTlsClientAuthClientWithAnotherSubjectIsRefused() throws Exception {
        TppClient tpp = new TppClient(bank);
        ObjectNode metadata = metadata("tls_client_auth", tpp.signingKey.toPublicJWK().toJSONString());
        metadata.put("tls_client_auth_subject_dn", "CN=someone-else,O=Other TPP,C=FI");
        String clientId = json(register(tpp, metadata, tpp.apiKey)).get("client_id").asText();

        HttpResponse<byte[]> token = tpp.send(tpp.request("/oauth/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=payments&client_id=" + clientId)).build());
        assertThat(token.statusCode()).isEqualTo(401);
        assertThat(json(token).get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void invalidMetadataIsRefused() throws Exception {
        TppClient tpp = new TppClient(bank);
        String publicKey = tpp.signingKey.toPublicJWK().toJSONString();

        ObjectNode privateKey = metadata("client_secret_post", tpp.signingKey.toJSONString());
        assertThat(json(register(tpp, privateKey, tpp.apiKey)).get("error").asText()).isEqualTo("invalid_client_metadata");

        ObjectNode plainHttp = metadata("client_secret_post", publicKey);
        plainHttp.putArray("redirect_uris").add("http://tpp.example/callback");
        assertThat(json(register(tpp, plainHttp, tpp.apiKey)).get("error").asText()).isEqualTo("invalid_redirect_uri");

        ObjectNode unknownMethod = metadata("private_key_jwt", publicKey);
        assertThat(json(register(tpp, unknownMethod, tpp.apiKey)).get("error").asText()).isEqualTo("invalid_client_metadata");

        ObjectNode noKeys = metadata("client_secret_post", publicKey);
        noKeys.remove("jwks");
        assertThat(json(register(tpp, noKeys, tpp.apiKey)).get("error").asText()).isEqualTo("invalid_client_metadata");
    }

    @Test
    void registrationNeedsTheDeveloperApiKey() throws Exception {
        TppClient tpp = new TppClient(bank);
        ObjectNode metadata = metadata("client_secret_post", tpp.signingKey.toPublicJWK().toJSONString());
        assertThat(register(tpp, metadata, null).statusCode()).isEqualTo(401);
        assertThat(register(tpp, metadata, "not-a-developer-key").statusCode()).isEqualTo(403);
    }

    @Test
    void signaturesVerifyWithKeysPublishedAtTheJwksUri() throws Exception {
        TppClient tpp = new TppClient(bank);
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("published-1").algorithm(JWSAlgorithm.ES256).generate();
        HttpsServer jwksServer = jwksServer(tpp.tpp, new JWKSet(key.toPublicJWK()));
        try {
            ObjectNode metadata = metadata("client_secret_post", key.toPublicJWK().toJSONString());
            metadata.remove("jwks");
            metadata.put("jwks_uri", "https://localhost:" + jwksServer.getAddress().getPort() + "/jwks.json");
            JsonNode client = json(register(tpp, metadata, tpp.apiKey));

            TppClient registered = new TppClient(bank);
            registered.clientId = client.get("client_id").asText();
            registered.clientSecret = client.get("client_secret").asText();
            String token = registered.clientToken();
            byte[] body = payment("FI4950009420028730", "FI5850009420172322", "1.00").getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = registered.paymentHeaders(token, body);
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("published-1").build(),
                    new Payload(body));
            jws.sign(new ECDSASigner(key));
            headers.put("x-jws-signature", jws.serialize(true));
            HttpResponse<byte[]> created = registered.createPayment(headers, body);
            assertThat(created.statusCode()).as(TppClient.text(created)).isEqualTo(201);

            // signed with the provisioned client's key: valid, but not one this client published
            headers.put("x-jws-signature", tpp.signDetached(body));
            headers.put("x-idempotency-key", "other-key");
            HttpResponse<byte[]> unpublished = registered.createPayment(headers, body);
            assertThat(unpublished.statusCode()).isEqualTo(401);
            assertThat(json(unpublished).get("message").asText()).contains("unknown kid");
        } finally {
            jwksServer.stop(0);
        }
    }

    private static ObjectNode metadata(String authMethod, String jwk) throws Exception {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("client_name", "Registered in a test");
        metadata.putArray("redirect_uris").add("https://tpp.example/callback");
        metadata.put("token_endpoint_auth_method", authMethod);
        metadata.putArray("grant_types").add("client_credentials").add("authorization_code").add("refresh_token");
        metadata.putObject("jwks").putArray("keys").add(JSON.readTree(jwk));
        return metadata;
    }

    private static HttpResponse<byte[]> register(TppClient tpp, ObjectNode metadata, String apiKey) throws Exception {
        HttpRequest.Builder request = tpp.request("/tpp-registration").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(metadata)));
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return tpp.send(request.build());
    }

    private static HttpResponse<byte[]> manage(TppClient tpp, String method, String clientId, String token, ObjectNode body)
            throws Exception {
        return tpp.send(tpp.request("/tpp-registration/" + clientId)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
    }

    /** The TPP's own HTTPS JWKS endpoint, served with its sandbox-issued certificate (valid for localhost). */
    private static HttpsServer jwksServer(TppMaterial tpp, JWKSet jwks) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tpp.clientKeyStore())) {
            keyStore.load(in, tpp.keyStorePassword().toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, tpp.keyStorePassword().toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("localhost", 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        byte[] document = jwks.toString(true).getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        server.start();
        return server;
    }
}
