package org.pisbridge.runtime;

import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed reads of the runtime's own settings ({@code pis.*}) through Camel's properties component,
 * so config/application.properties, {@code -Dkey=value} and environment variables
 * ({@code PIS_DB_PASSWORD} for {@code pis.db.password}) apply the same way as for routes.
 */
public final class RuntimeSettings {
    private final PropertiesComponent properties;

    public RuntimeSettings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    public String string(String key, String defaultValue) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(defaultValue);
    }

    /** A setting that must be given; its absence stops start-up with the key named. */
    public String required(String key) {
        String value = string(key, null);
        if (value == null) {
            throw new IllegalStateException("Setting " + key + " is required (config/application.properties)");
        }
        return value;
    }

    public int integer(String key, int defaultValue) {
        String value = string(key, null);
        try {
            return value == null ? defaultValue : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting " + key + " must be a whole number, not '" + value + "'");
        }
    }

    public boolean flag(String key, boolean defaultValue) {
        String value = string(key, null);
        return value == null ? defaultValue : Boolean.parseBoolean(value);
    }

    /** A comma-separated list of names; empty when not set. */
    public java.util.Set<String> names(String key) {
        return java.util.Arrays.stream(string(key, "").split(",")).map(String::trim).filter(n -> !n.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public Path path(String key, String defaultValue) {
        return Path.of(string(key, defaultValue));
    }
}
