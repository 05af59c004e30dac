package org.pisbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseH2Test {

    @Test
    void migratesTheEmbeddedFileStoreOnceAndReopensIt(@TempDir Path dir) throws Exception {
        String url = Database.h2FileUrl(dir.resolve("db/pis"));
        try (Database db = Database.open(url, "sa", "", 2)) {
            assertThat(SchemaAssertions.tables(db.dataSource())).contains("bundle", "payment_order", "payer_grant", "camel_messageprocessed");
        }
        // a second start finds the schema current and applies nothing
        try (Database db = Database.open(url, "sa", "", 2);
             Connection c = db.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from flyway_schema_history where success and type = 'SQL'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SchemaAssertions.migrationCount());
        }
    }

    @Test
    void anUpgradeKeepsTheOrdersIdempotencyKeys(@TempDir Path dir) throws Exception {
        SchemaAssertions.upgradeKeepsEveryOrder(Database.h2FileUrl(dir.resolve("db/pis")), "sa", "");
    }

    /** Benchmarks and tests open the embedded store with the settings the runtime's default gives it. */
    @Test
    void theDefaultStoreUrlHasTheEmbeddedSettings() throws Exception {
        java.util.Properties config = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(Path.of("config/application.properties"))) {
            config.load(in);
        }
        assertThat(config.getProperty("pis.db.url")).isEqualTo(Database.h2FileUrl(Path.of("./data/db/pis-bridge")));
    }
}
