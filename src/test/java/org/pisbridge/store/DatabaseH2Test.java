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
        String url = "jdbc:h2:file:" + dir.resolve("db/pis") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
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
}
