package org.pisbridge.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Who may use the operator's console and its API. People: {@code name:bcrypt-hash} lines in the
 * users file, the hash as {@code htpasswd -B} or {@code pis-bridge operator add} writes it, checked
 * with BouncyCastle's BCrypt (a slow, salted hash, so a stolen file does not give the passwords).
 * Machines (Prometheus, scripts): {@code name:sha256} lines in the tokens file, the SHA-256 of a
 * random 256-bit token that {@code pis-bridge operator token} prints once; a token that long needs
 * no slow hash. Both files are read again when they change, so adding an operator needs no restart.
 */
public final class OperatorLogins {
    /** BCrypt cost: about 0.2 s per check on this kind of machine. */
    private static final int COST = 12;
    /** Checked for an unknown name too, so the answer's time does not tell which names exist. */
    private static final String DECOY = OpenBSDBCrypt.generate("2y", "decoy".toCharArray(), new byte[16], COST);

    private final Path usersFile;
    private final Path tokensFile;
    private final LinesFile users;
    private final LinesFile tokens;

    public OperatorLogins(Path usersFile, Path tokensFile) {
        this.usersFile = usersFile;
        this.tokensFile = tokensFile;
        this.users = new LinesFile(usersFile);
        this.tokens = new LinesFile(tokensFile);
    }

    /** The operator's name when the password is theirs. */
    public Optional<String> byPassword(String name, String password) {
        if (name == null || password == null || name.isBlank()) {
            return Optional.empty();
        }
        String hash = users.entries().get(name.trim());
        boolean matches = OpenBSDBCrypt.checkPassword(hash != null ? hash : DECOY, password.toCharArray());
        return matches && hash != null ? Optional.of(name.trim()) : Optional.empty();
    }

    /** The name a machine client's token was issued to. */
    public Optional<String> byToken(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        byte[] presented = sha256(token.trim()).getBytes(StandardCharsets.US_ASCII);
        String found = null;
        for (Map.Entry<String, String> e : tokens.entries().entrySet()) {
            if (MessageDigest.isEqual(presented, e.getValue().getBytes(StandardCharsets.US_ASCII))) {
                found = e.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean anyOperator() {
        return !users.entries().isEmpty();
    }

    /** Adds or replaces an operator's password (the command line's {@code operator add}). */
    public void setPassword(String name, char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        write(usersFile, requireName(name), OpenBSDBCrypt.generate("2y", password, salt, COST));
    }

    /** Issues a new token for a machine client and returns it: shown once, only its hash is kept. */
    public String issueToken(String name) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        write(tokensFile, requireName(name), sha256(token));
        return token;
    }

    private static String requireName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("An operator name is 1 to 64 letters, digits and . _ @ -");
        }
        return name;
    }

    private static void write(Path file, String name, String value) {
        Map<String, String> entries = new LinkedHashMap<>(new LinesFile(file).entries());
        entries.put(name, value);
        StringBuilder text = new StringBuilder("# PIS Bridge console logins (name:hash); keep readable by the runtime's user only\n");
        entries.forEach((k, v) -> text.append(k).append(':').append(v).append('\n'));
        try {
            Path dir = Files.createDirectories(file.toAbsolutePath().getParent());
            Path next = Files.createTempFile(dir, ".logins", ".tmp");
            try {
                Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder must be protected by other means
            }
            Files.writeString(next, text, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("Console logins file " + file + " cannot be written: " + e.getMessage());
        }
    }

    static String sha256(String s) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code name:value} file, read again when its modification time changes; none is an empty one. */
    private static final class LinesFile {
        private final Path file;
        private FileTime readAt;
        private Map<String, String> entries = Map.of();

        LinesFile(Path file) {
            this.file = file;
        }

        synchronized Map<String, String> entries() {
            try {
                if (!Files.isRegularFile(file)) {
                    entries = Map.of();
                    readAt = null;
                    return entries;
                }
                FileTime modified = Files.getLastModifiedTime(file);
                if (!modified.equals(readAt)) {
                    Map<String, String> read = new LinkedHashMap<>();
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        int colon = line.indexOf(':');
                        if (!line.isBlank() && !line.startsWith("#") && colon > 0) {
                            read.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                        }
                    }
                    entries = read;
                    readAt = modified;
                }
                return entries;
            } catch (IOException e) {
                throw new IllegalStateException("Console logins file " + file + " cannot be read: " + e.getMessage());
            }
        }
    }
}
