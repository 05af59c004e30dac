package org.pisbridge.sandbox;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable values: tokens, secrets, passwords and key ids the sandbox hands out. */
public final class SecureRandomString {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecureRandomString() {
    }

    /** {@code bytes} random bytes, base64url without padding. */
    public static String of(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
