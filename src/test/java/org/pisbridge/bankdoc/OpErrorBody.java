package org.pisbridge.bankdoc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Assertions on OP's error body {@code {"type": "SECURITY|VALIDATION|TECHNICAL|BUSINESS", "message": ..., "id": ...}}. */
final class OpErrorBody {
    private OpErrorBody() {
    }

    /** The bank refused with one of {@code statuses}, an error of {@code type}, whose body names {@code problem}. */
    static void assertRefused(BankResponse response, String type, String problem, Integer... statuses) {
        assertThat(response.status()).as("status of %s: %s", response.describe(), response.text()).isIn((Object[]) statuses);
        JsonNode body = response.json();
        assertThat(body.path("type").asText()).as("error type in %s", response.text()).isEqualTo(type);
        assertThat(body.path("message").asText()).as("error message").isNotBlank();
        assertThat(response.text()).as("error body names the problem").containsIgnoringCase(problem);
    }
}
