package org.pisbridge.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relational store: a pooled {@link DataSource} whose schema Flyway brings up to date before
 * anything uses it. The same migrations run on the embedded H2 file and on PostgreSQL.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** How long a statement waits for a row another transaction locked, unless configured (pis.db.lock-timeout-ms). */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** {@link #open(String, String, String, int, Duration)} with the default lock timeout. */
    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        return open(jdbcUrl, user, password, poolSize, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * Connects, migrates the schema and returns the open store; a failure closes the pool again.
     * PostgreSQL waits for a locked row for ever by default: a transaction left hanging would then
     * stop every stage that meets its rows, silently. Here such a wait fails after
     * {@code lockTimeout} and the stage tries again, logged (H2 has its own, LOCK_TIMEOUT in the URL).
     */
    public static Database open(String jdbcUrl, String user, String password, int poolSize, Duration lockTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("pis-store");
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            config.setConnectionInitSql("set lock_timeout = " + lockTimeout.toMillis());
        }
        HikariDataSource ds = new HikariDataSource(config);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .placeholders(java.util.Map.of("eventIdCache", jdbcUrl.startsWith("jdbc:h2:") ? "1000" : "1"))
                    .load()
                    .migrate();
            LOG.info("Store {} at schema version {} ({} migrations applied now)",
                    redact(jdbcUrl), result.targetSchemaVersion != null ? result.targetSchemaVersion
                            : result.initialSchemaVersion, result.migrationsExecuted);
            return new Database(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * The embedded H2 store's settings, those of the default {@code pis.db.url} in config/application.properties
     * (DatabaseH2Test keeps the two in step), so benchmarks and tests run the store the way the runtime does.
     */
    public static final String H2_EMBEDDED_SETTINGS =
            "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;QUERY_CACHE_SIZE=128";

    /** The JDBC URL of an embedded H2 file store ({@code file} without H2's ".mv.db"), with {@link #H2_EMBEDDED_SETTINGS}. */
    public static String h2FileUrl(Path file) {
        return "jdbc:h2:file:" + file + ";" + H2_EMBEDDED_SETTINGS;
    }

    /** An H2 file store in {@code dir} (file {@code db}) as the runtime's embedded default, for benchmarks and tests. */
    public static Database h2File(Path dir, int poolSize) {
        return open(h2FileUrl(dir.resolve("db")), "sa", "", poolSize);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** JDBC URLs may carry credentials as parameters; only the part before them is logged. */
    static String redact(String jdbcUrl) {
        int cut = jdbcUrl.indexOf('?');
        String base = cut < 0 ? jdbcUrl : jdbcUrl.substring(0, cut);
        int semi = base.indexOf(';');
        return semi < 0 ? base : base.substring(0, semi);
    }
}
