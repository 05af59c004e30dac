package org.pisbridge.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The properties files a runtime reads: the configuration file, then the bank profile named by
 * {@code pis.bank.profile} ({@code banks/<profile>.properties} next to the configuration file).
 * Camel gives an earlier location precedence, so a setting in the configuration file wins over the
 * profile's; system properties and the environment win over both.
 */
public final class ConfigurationFiles {
    static final String PROFILE = "pis.bank.profile";

    private ConfigurationFiles() {
    }

    /** Camel properties locations for {@code configFile}, the profile taken from the overrides first. */
    public static String locations(Path configFile, Map<String, String> overrides) {
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalStateException("Configuration file " + configFile + " not found");
        }
        String profile = profile(configFile, overrides);
        Path profileFile = configFile.toAbsolutePath().getParent().resolve("banks").resolve(profile + ".properties");
        if (!Files.isRegularFile(profileFile)) {
            throw new IllegalStateException("Bank profile " + profile + " (" + PROFILE + ") has no file " + profileFile);
        }
        return "file:" + configFile.toAbsolutePath() + ",file:" + profileFile;
    }

    /**
     * A Camel context that reads the same settings as the runtime, without starting anything: for
     * the commands that talk to the bank outside the runtime (register, revoke).
     */
    public static CamelContext context(Path configFile, Map<String, String> overrides) {
        CamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setLocation(locations(configFile, overrides));
        Properties override = new Properties();
        override.putAll(overrides);
        camel.getPropertiesComponent().setOverrideProperties(override);
        return camel;
    }

    private static String profile(Path configFile, Map<String, String> overrides) {
        String value = overrides.get(PROFILE);
        if (value == null) {
            value = System.getProperty(PROFILE);
        }
        if (value == null) {
            value = System.getenv("PIS_BANK_PROFILE");
        }
        if (value == null) {
            Properties file = new Properties();
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                file.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("Configuration file " + configFile + " cannot be read: " + e.getMessage());
            }
            value = file.getProperty(PROFILE);
        }
        value = value == null || value.isBlank() ? "sandbox" : value.trim();
        if (!value.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalStateException(PROFILE + " must be a profile name like op-sandbox, not '" + value + "'");
        }
        return value;
    }
}
