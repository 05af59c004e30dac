package org.pisbridge.bankdoc;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the bank sends the user back (document section 4.4): {@code ?state&code}, {@code #state&code&id_token}
 * when an ID token is present, or {@code ?state&error}.
 */
record AuthorizeCallback(URI uri, boolean inFragment, Map<String, String> params) {

    static AuthorizeCallback of(URI uri) {
        boolean fragment = uri.getRawFragment() != null;
        String raw = fragment ? uri.getRawFragment() : uri.getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return new AuthorizeCallback(uri, fragment, params);
    }

    String param(String name) {
        return params.get(name);
    }

    /** The redirect URI the bank sent the user to, without the response parameters. */
    String redirectUri() {
        String s = uri.toString();
        int cut = s.indexOf(inFragment ? '#' : '?');
        return cut < 0 ? s : s.substring(0, cut);
    }
}
