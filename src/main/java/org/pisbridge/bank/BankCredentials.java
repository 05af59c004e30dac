package org.pisbridge.bank;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The TPP's credentials at the bank, read from a properties file kept out of the configuration
 * (the sandbox bank writes one for its provisioned client; for a real bank the operator does):
 * {@code client-id}, {@code client-secret}, {@code api-key}, {@code signing-kid},
 * {@code keystore-password}, {@code truststore-password}. {@link #toString()} shows no secret.
 */
public record BankCredentials(String clientId, String clientSecret, String apiKey, String signingKid,
                              char[] keyStorePassword, char[] trustStorePassword) {

    public static BankCredentials load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("Bank credentials file " + file + " cannot be read: " + e.getMessage());
        }
        return new BankCredentials(
                required(p, "client-id", file), p.getProperty("client-secret"), required(p, "api-key", file),
                required(p, "signing-kid", file),
                p.getProperty("keystore-password", "").toCharArray(),
                p.getProperty("truststore-password", "").toCharArray());
    }

    private static String required(Properties p, String key, Path file) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("Bank credentials file " + file + " has no " + key);
        }
        return v.trim();
    }

    @Override
    public String toString() {
        return "BankCredentials[clientId=" + clientId + ", signingKid=" + signingKid + "]";
    }
}
