package org.pisbridge.runtime;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;

/**
 * The embedded broker's one user: generated on the first start into an owner-only file
 * ({@code pis.broker.embedded.credentials-file}), read by the runtime and by the commands that talk
 * to it, so no other local process can post orders without reading that file. The password never
 * reaches a log line or a message; {@link #toString()} leaves it out.
 */
public record BrokerCredentials(String user, String password) {
    static final String USER = "pis-bridge";

    /** The file's credentials, created first when there is none. */
    public static BrokerCredentials loadOrCreate(Path file) {
        return load(file).orElseGet(() -> create(file));
    }

    /** The credentials in the file, or empty when it does not exist (the embedded broker never started here). */
    public static Optional<BrokerCredentials> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("Broker credentials file " + file + " cannot be read: " + e.getMessage());
        }
        String user = p.getProperty("user");
        String password = p.getProperty("password");
        if (user == null || password == null || password.isBlank()) {
            throw new IllegalStateException("Broker credentials file " + file + " has no user and password");
        }
        return Optional.of(new BrokerCredentials(user.trim(), password.trim()));
    }

    private static BrokerCredentials create(Path file) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        BrokerCredentials created = new BrokerCredentials(USER, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        Properties p = new Properties();
        p.setProperty("user", created.user());
        p.setProperty("password", created.password());
        try {
            Path dir = Files.createDirectories(file.toAbsolutePath().getParent());
            Path next = Files.createTempFile(dir, ".broker", ".tmp");
            try {
                Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder must be protected by other means
            }
            try (Writer w = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
                p.store(w, "Embedded broker login of PIS Bridge: keep readable by the runtime's user only");
            }
            try {
                // a link, not a rename: a runtime starting at the same moment keeps the file the other wrote
                Files.createLink(file, next);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return load(file).orElseThrow();
            } finally {
                Files.delete(next);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Broker credentials file " + file + " cannot be written: " + e.getMessage());
        }
        return created;
    }

    @Override
    public String toString() {
        return "BrokerCredentials[user=" + user + "]";
    }
}
