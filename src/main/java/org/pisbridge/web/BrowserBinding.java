package org.pisbridge.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Ties an SCA attempt to the browser that started it (document 4.4: "verify that the returning
 * user is the same user who started"): a random cookie set by /sca/{bundleId}, only its hash
 * stored. The cookie's name is derived from the attempt's state (a hash, not the state itself).
 */
final class BrowserBinding {
    private BrowserBinding() {
    }

    static String cookieName(String attemptState) {
        return "pis_sca_" + hash(attemptState).substring(0, 16);
    }

    static String hash(String cookieValue) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(cookieValue.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean matches(String cookieValue, String storedHash) {
        return cookieValue != null && storedHash != null
                && MessageDigest.isEqual(hash(cookieValue).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    static Map<String, String> cookies(String header) {
        Map<String, String> cookies = new HashMap<>();
        if (header == null) {
            return cookies;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String value = part.substring(eq + 1).trim();
                // RFC 6265 allows the value in double quotes (RFC 2965 clients always quote it)
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                cookies.putIfAbsent(part.substring(0, eq).trim(), value);
            }
        }
        return cookies;
    }
}
