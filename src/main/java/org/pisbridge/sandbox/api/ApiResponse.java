package org.pisbridge.sandbox.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an endpoint answers. {@code signed} business responses get an {@code x-jws-signature} over
 * the exact body bytes when the host sends them.
 */
public record ApiResponse(int status, byte[] body, boolean signed, Map<String, String> headers) {

    public static ApiResponse signedJson(int status, JsonNode body) {
        return new ApiResponse(status, bytes(body), true, Map.of());
    }

    public static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, bytes(body), false, Map.of());
    }

    /** Token endpoint answers: RFC 6749 §5.1 forbids caching them. */
    public static ApiResponse tokenJson(int status, JsonNode body) {
        return new ApiResponse(status, bytes(body), false, Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, new byte[0], false, Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(status, body, signed, Map.copyOf(all));
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return ApiJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON response", e);
        }
    }
}
