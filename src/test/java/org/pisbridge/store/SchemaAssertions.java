package org.pisbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** What both store tests (H2 and PostgreSQL) check about a migrated schema. */
final class SchemaAssertions {
    private SchemaAssertions() {
    }

    static List<String> tables(DataSource ds) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = ds.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    static int migrationCount() throws IOException, URISyntaxException {
        Path dir = Path.of(SchemaAssertions.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+(_\\d+)*__.*\\.sql")).count();
        }
    }

    /**
     * A store holding orders at schema version 51 (keys under a unique index of payment_order), brought up
     * to date by the runtime's start: every order keeps its key, now also recorded as given, so it cannot
     * be given again.
     */
    static void upgradeKeepsTheOrdersIdempotencyKeys(String url, String user, String password) throws SQLException {
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
                .placeholders(java.util.Map.of("eventIdCache", "1")).target("51").load().migrate();
        try (Connection c = java.sql.DriverManager.getConnection(url, user, password);
             PreparedStatement ps = c.prepareStatement("insert into payment_order (order_id, source, payer_iban, payee_iban,"
                     + " payee_name, amount_eur, state, idempotency_key, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?)")) {
            for (String orderId : List.of("ERP-1", "ERP-2")) {
                Timestamp now = Timestamp.from(Instant.now());
                Sql.bind(ps, orderId, "JMS", "FI4950009420028730", "FI9112345600000786", "Supplier",
                        new java.math.BigDecimal("1.00"), "RECEIVED", IdempotencyKeys.derive(orderId), now, now);
                ps.executeUpdate();
            }
        }
        try (Database db = Database.open(url, user, password, 2)) {
            Transactions tx = new Transactions(db.dataSource());
            List<String> kept = tx.inTransaction(c -> Sql.rows(c, "select o.order_id, o.idempotency_key, k.order_id"
                    + " from payment_order o join issued_idempotency_key k on k.idempotency_key = o.idempotency_key"
                    + " order by o.order_id", rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)));
            assertThat(kept).containsExactly("ERP-1 " + IdempotencyKeys.derive("ERP-1") + " ERP-1",
                    "ERP-2 " + IdempotencyKeys.derive("ERP-2") + " ERP-2");
            assertThatThrownBy(() -> tx.inTransaction(c -> {
                IdempotencyKeys.give(c, "ERP-3", "ERP-1", Instant.now()); // ERP-1's key
                return null;
            })).isInstanceOf(StoreException.class);
        }
    }
}
