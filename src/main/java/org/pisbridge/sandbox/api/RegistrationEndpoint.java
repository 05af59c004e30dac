package org.pisbridge.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.SandboxError;
import org.pisbridge.sandbox.SecureRandomString;
import org.pisbridge.sandbox.model.RegisteredClient;

/**
 * {@code /tpp-registration}: dynamic client registration (RFC 7591) with the developer-portal API key,
 * and its management (RFC 7592) with the registration access token it returns.
 */
final class RegistrationEndpoint {
    private final SandboxContext ctx;
    private final String developerApiKey;

    RegistrationEndpoint(SandboxContext ctx, String developerApiKey) {
        this.ctx = ctx;
        this.developerApiKey = developerApiKey;
    }

    ApiResponse create(ApiRequest request) {
        String apiKey = request.header("x-api-key");
        if (apiKey == null) {
            throw SandboxError.security("x-api-key header is missing");
        }
        if (!MessageDigest.isEqual(apiKey.getBytes(StandardCharsets.UTF_8), developerApiKey.getBytes(StandardCharsets.UTF_8))) {
            throw ApiAccess.forbidden("x-api-key is not a developer app key of this bank");
        }
        ClientMetadata metadata = ClientMetadata.parse(json(request), request.clientCertificate());
        RegisteredClient client = new RegisteredClient();
        client.clientId = SecureRandomString.of(15);
        client.clientSecret = metadata.tokenEndpointAuthMethod().equals("tls_client_auth") ? null : SecureRandomString.of(24);
        // the app key that registered the client is the key its API calls carry, as with OP's developer apps
        client.apiKey = apiKey;
        client.registrationAccessToken = SecureRandomString.of(30);
        metadata.applyTo(client);
        client.metadata.put("client_id_issued_at", ctx.clock().instant().getEpochSecond());
        synchronized (client) {
            ctx.state().clients.put(client.clientId, client);
            ctx.state().save(client);
            return ApiResponse.tokenJson(201, information(client));
        }
    }

    ApiResponse read(ApiRequest request) {
        RegisteredClient client = managed(request);
        synchronized (client) {
            return ApiResponse.tokenJson(200, information(client));
        }
    }

    /** RFC 7592 §2.2: the new metadata replaces the old; client_id (and the secret, if sent) must be the client's. */
    ApiResponse update(ApiRequest request) {
        RegisteredClient client = managed(request);
        JsonNode body = json(request);
        if (!body.isObject()) {
            throw new OAuthError(400, "invalid_client_metadata", "the request body must be a JSON object");
        }
        if (!client.clientId.equals(body.path("client_id").asText(null))) {
            throw new OAuthError(400, "invalid_client_metadata", "client_id must be the registered client's");
        }
        String secret = body.path("client_secret").asText(null);
        if (secret != null && !secret.equals(client.clientSecret)) {
            throw new OAuthError(400, "invalid_client_metadata", "client_secret cannot be changed");
        }
        ObjectNode metadataOnly = body.deepCopy();
        metadataOnly.remove(List.of("client_id", "client_secret", "registration_access_token",
                "registration_client_uri", "client_id_issued_at", "client_secret_expires_at"));
        ClientMetadata metadata = ClientMetadata.parse(metadataOnly, request.clientCertificate());
        synchronized (client) {
            Object issuedAt = client.metadata.get("client_id_issued_at");
            metadata.applyTo(client);
            client.metadata.put("client_id_issued_at", issuedAt);
            boolean tls = metadata.tokenEndpointAuthMethod().equals("tls_client_auth");
            if (tls) {
                client.clientSecret = null;
            } else if (client.clientSecret == null) {
                client.clientSecret = SecureRandomString.of(24);
            }
            ctx.state().save(client);
            return ApiResponse.tokenJson(200, information(client));
        }
    }

    /** RFC 7592 §2.3: the client is gone and its tokens stop working. */
    ApiResponse delete(ApiRequest request) {
        RegisteredClient client = managed(request);
        synchronized (client) {
            client.deleted = true;
            ctx.state().save(client);
        }
        return ApiResponse.empty(204);
    }

    private RegisteredClient managed(ApiRequest request) {
        String authorization = request.header("Authorization");
        RegisteredClient client = ctx.state().clients.get(request.pathParam(0));
        boolean valid = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && client != null && !client.deleted && client.registrationAccessToken != null
                && MessageDigest.isEqual(client.registrationAccessToken.getBytes(StandardCharsets.UTF_8),
                        authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        if (!valid) {
            // RFC 7592 §2: an unknown client and a wrong token look the same
            throw new OAuthError(401, "invalid_token", "the registration access token is not valid for this client");
        }
        return client;
    }

    /** RFC 7591 §3.2.1 client information response. */
    private ObjectNode information(RegisteredClient client) {
        ObjectNode body = ApiJson.object().put("client_id", client.clientId);
        if (client.clientSecret != null) {
            body.put("client_secret", client.clientSecret).put("client_secret_expires_at", 0);
        }
        body.put("registration_access_token", client.registrationAccessToken)
                .put("registration_client_uri", ctx.apiBaseUrl() + "/tpp-registration/" + client.clientId);
        body.setAll((ObjectNode) ApiJson.MAPPER.valueToTree(client.metadata));
        return body;
    }

    private static JsonNode json(ApiRequest request) {
        try {
            return ApiJson.MAPPER.readTree(request.body());
        } catch (IOException e) {
            throw new OAuthError(400, "invalid_client_metadata", "the request body is not valid JSON");
        }
    }
}
