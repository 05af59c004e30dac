package org.pisbridge.bankdoc;

import com.fasterxml.jackson.databind.JsonNode;

/** An answer of the token endpoint. Accessors fail unless the grant succeeded. */
record TokenResponse(BankResponse response) {

    boolean ok() {
        return response.status() == 200;
    }

    String accessToken() {
        return required("access_token");
    }

    String refreshToken() {
        return success().field("refresh_token");
    }

    String idToken() {
        return success().field("id_token");
    }

    String scope() {
        return success().field("scope");
    }

    String tokenType() {
        return success().field("token_type");
    }

    /** The document's client-credentials example sends it as a string, its code-exchange example as a number. */
    long expiresIn() {
        JsonNode node = success().json().get("expires_in");
        if (node == null) {
            throw new AssertionError("token response has no expires_in");
        }
        return node.isNumber() ? node.asLong() : Long.parseLong(node.asText());
    }

    /** The OAuth error code of a refused grant (RFC 6749 section 5.2). */
    String error() {
        return response.field("error");
    }

    private String required(String name) {
        String value = success().field(name);
        if (value == null || value.isEmpty()) {
            throw new AssertionError("token response has no " + name);
        }
        return value;
    }

    private BankResponse success() {
        // the body of a refused grant never carries a token, so it is safe to show
        return response.expect(200);
    }
}
