package org.pisbridge.bankdoc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** One answer of the bank, with the exact body bytes (response signatures are over those bytes). */
record BankResponse(String method, URI uri, int status, HttpHeaders headers, byte[] body) {
    static final ObjectMapper JSON = new ObjectMapper();

    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(describe() + " is not JSON: " + text(), e);
        }
    }

    /** A field of the JSON body as text, or null when absent. */
    String field(String name) {
        JsonNode node = json().get(name);
        return node == null || node.isNull() ? null : node.asText();
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Fails with the status and body (never a request's secrets) unless the status is one of {@code expected}. */
    BankResponse expect(int... expected) {
        if (Arrays.stream(expected).noneMatch(s -> s == status)) {
            throw new AssertionError(describe() + " answered " + status + ", expected " + Arrays.toString(expected)
                    + ": " + text());
        }
        return this;
    }

    BankResponse expectSuccess() {
        if (!isSuccess()) {
            throw new AssertionError(describe() + " answered " + status + ": " + text());
        }
        return this;
    }

    String describe() {
        return method + " " + uri.getPath();
    }
}
