package org.pisbridge.oauth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts tokens at rest (refresh tokens, the user's access token between SCA and submission)
 * with AES-256-GCM. The key is 32 random bytes in a file readable by its owner only, created on
 * first start; losing it only means users must do a new SCA.
 */
public final class TokenCipher {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private TokenCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    public static TokenCipher fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                Files.write(file, Base64.getEncoder().encode(key));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: protect the folder by other means
                }
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
            if (key.length != 32) {
                throw new IllegalStateException("Token key file " + file + " does not hold a 256-bit key");
            }
            return new TokenCipher(key);
        } catch (IOException e) {
            throw new IllegalStateException("Token key file " + file + " cannot be used: " + e.getMessage());
        }
    }

    public String encrypt(String token) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = c.doFinal(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Token encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        try {
            byte[] in = Base64.getUrlDecoder().decode(stored);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            return new String(c.doFinal(in, 12, in.length - 12), java.nio.charset.StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored token cannot be decrypted with the configured key");
        }
    }
}
