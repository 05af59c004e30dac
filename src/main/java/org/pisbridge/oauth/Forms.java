package org.pisbridge.oauth;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** application/x-www-form-urlencoded bodies and the OAuth answers' loosely typed fields. */
public final class Forms {
    private Forms() {
    }

    /** Encodes name/value pairs; pairs with a null value are left out. */
    public static String encode(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                continue;
            }
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    public static Map<String, String> decode(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return values;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    public static String required(Map<String, Object> answer, String field) {
        Object v = answer.get(field);
        if (v == null || v.toString().isBlank()) {
            throw new IllegalStateException("Token endpoint answer has no " + field);
        }
        return v.toString();
    }

    /** {@code expires_in} as a number or a string of digits. */
    public static long seconds(Object value, long fallback) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s && s.strip().matches("\\d+")) {
            return Long.parseLong(s.strip());
        }
        return fallback;
    }
}
