package org.pisbridge.sandbox.authorize;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The addresses the user is sent back to the TPP with, in the forms OP's document §4.4 gives. */
final class ClientRedirect {
    private ClientRedirect() {
    }

    /** {@code redirect_uri?state=..&code=..} or {@code ?state=..&error=..}; keeps a query the URI already has. */
    static String withQuery(String redirectUri, Map<String, String> params) {
        return redirectUri + (redirectUri.contains("?") ? "&" : "?") + encode(params);
    }

    /** {@code redirect_uri?state=..&error=..&error_description=..}; without state when it is null (not valid). */
    static String withError(String redirectUri, String state, String error, String description) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("state", state);
        answer.put("error", error);
        answer.put("error_description", description);
        return withQuery(redirectUri, answer);
    }

    /** {@code redirect_uri#state=..&code=..&id_token=..}: the fragment never reaches a server. */
    static String withFragment(String redirectUri, Map<String, String> params) {
        return redirectUri + "#" + encode(params);
    }

    private static String encode(Map<String, String> params) {
        StringJoiner joined = new StringJoiner("&");
        params.forEach((name, value) -> {
            if (value != null) {
                joined.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        });
        return joined.toString();
    }
}
