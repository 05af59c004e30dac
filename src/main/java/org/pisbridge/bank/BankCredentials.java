package org.pisbridge.bank;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.Writer;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The TPP's credentials at the bank, read from a properties file kept out of the configuration
 * (the sandbox bank writes one for its provisioned client; for a real bank the operator does):
 * {@code client-id}, {@code client-secret}, {@code api-key}, {@code signing-kid},
 * {@code keystore-password}, {@code truststore-password}, and after {@code pis-bridge register}
 * {@code registration-access-token} and {@code registration-client-uri} (RFC 7592).
 * Before registration the file holds only what the bank gives before it (an API key, if any):
 * {@code pis-bridge keys} adds the signing key's kid, {@code register} the rest, so every key is
 * optional here and {@link #registered()} tells a client the bank knows.
 * {@link #toString()} shows no secret.
 */
public record BankCredentials(String clientId, String clientSecret, String apiKey, String signingKid,
                              char[] keyStorePassword, char[] trustStorePassword,
                              String registrationAccessToken, String registrationClientUri) {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public static BankCredentials load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("Bank credentials file " + file + " cannot be read: " + e.getMessage());
        }
        return new BankCredentials(
                optional(p, "client-id"), optional(p, "client-secret"), optional(p, "api-key"),
                optional(p, "signing-kid"),
                p.getProperty("keystore-password", "").toCharArray(),
                p.getProperty("truststore-password", "").toCharArray(),
                optional(p, "registration-access-token"), optional(p, "registration-client-uri"));
    }

    /** Whether the bank has given this client its identifier (by registration, or provisioned with the file). */
    public boolean registered() {
        return clientId != null;
    }

    /** Stops what needs a registered client with the file named and the way out. */
    public void requireRegistered(Path file) {
        if (!registered()) {
            throw new IllegalStateException("Bank credentials file " + file + " has no client-id: register this client"
                    + " at the bank first (pis-bridge keys, then pis-bridge register)");
        }
    }

    /**
     * Writes {@code changes} into the credentials file, keeping its other keys; a null value
     * removes its key. The file is replaced whole and readable by its owner only.
     */
    public static void update(Path file, Map<String, String> changes) {
        Properties p = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            changes.forEach((key, value) -> {
                if (value == null) {
                    p.remove(key);
                } else {
                    p.setProperty(key, value);
                }
            });
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path next = Files.createTempFile(dir, ".credentials", ".tmp");
            try {
                Files.setPosixFilePermissions(next, OWNER_ONLY);
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: protect the folder by other means
            }
            try (Writer w = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
                p.store(w, "PIS Bridge bank credentials: keep readable by the runtime's user only");
            }
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("Bank credentials file " + file + " cannot be written: " + e.getMessage());
        }
    }

    private static String optional(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    @Override
    public String toString() {
        return "BankCredentials[clientId=" + clientId + ", signingKid=" + signingKid + "]";
    }
}
