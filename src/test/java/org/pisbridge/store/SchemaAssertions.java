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
     * A store holding orders at schema version 51 (keys under a unique index of payment_order, every
     * column in payment_order, a file bundle half reported), brought up to date by the runtime's
     * start: every order keeps its key, now also recorded as given, so it cannot be given again; its
     * state and payment, now in order_progress under a number below zero in order_id order; the
     * bundle its report cursor; an order stored after it is numbered from 1.
     */
    static void upgradeKeepsEveryOrder(String url, String user, String password) throws SQLException {
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
                .placeholders(java.util.Map.of("eventIdCache", "1")).target("51").load().migrate();
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = java.sql.DriverManager.getConnection(url, user, password)) {
            Sql.update(c, "insert into bundle (bundle_id, batch_key, payer_iban, state, reported_through, created_at, updated_at)"
                    + " values ('B-1', 'file:pay.csv', 'FI4950009420028730', 'CLOSING', 'ERP-2', ?, ?)", now, now);
            try (PreparedStatement ps = c.prepareStatement("insert into payment_order (order_id, bundle_id, source, payer_iban,"
                    + " payee_iban, payee_name, amount_eur, state, idempotency_key, payment_id, created_at, updated_at)"
                    + " values (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (String[] o : List.of(new String[] {"ERP-4", "B-1", "BUNDLED", null}, new String[] {"ERP-1", "B-1", "BUNDLED", null},
                        new String[] {"ERP-3", null, "SUBMITTED", "p-3"}, new String[] {"ERP-2", "B-1", "BUNDLED", null})) {
                    Sql.bind(ps, o[0], Sql.nullable(o[1]), "JMS", "FI4950009420028730", "FI9112345600000786", "Supplier",
                            new java.math.BigDecimal("1.00"), o[2], IdempotencyKeys.derive(o[0]), Sql.nullable(o[3]), now, now);
                    ps.executeUpdate();
                }
            }
        }
        try (Database db = Database.open(url, user, password, 2)) {
            Transactions tx = new Transactions(db.dataSource());
            List<String> kept = tx.inTransaction(c -> Sql.rows(c, "select o.order_id, p.idempotency_key, k.order_id"
                    + " from " + OrderRecords.ORDERS + " join issued_idempotency_key k on k.idempotency_key = p.idempotency_key"
                    + " order by o.order_id", rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)));
            assertThat(kept).containsExactly(Stream.of("ERP-1", "ERP-2", "ERP-3", "ERP-4")
                    .map(id -> id + " " + IdempotencyKeys.derive(id) + " " + id).toArray(String[]::new));
            assertThatThrownBy(() -> tx.inTransaction(c -> {
                IdempotencyKeys.give(c, "ERP-5", "ERP-1", Instant.now()); // ERP-1's key
                return null;
            })).isInstanceOf(StoreException.class);

            List<String> progress = tx.inTransaction(c -> Sql.rows(c, "select o.order_id, p.order_seq, p.bundle_id, p.state,"
                    + " p.payment_id from " + OrderRecords.ORDERS + " order by p.order_seq",
                    rs -> rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5)));
            assertThat(progress).containsExactly("ERP-1 -4 B-1 BUNDLED null", "ERP-2 -3 B-1 BUNDLED null",
                    "ERP-3 -2 null SUBMITTED p-3", "ERP-4 -1 B-1 BUNDLED null");
            List<String> cursor = tx.inTransaction(c -> Sql.strings(c, "select reported_seq from bundle where bundle_id = 'B-1'"));
            assertThat(cursor).as("reported through ERP-2, as before").containsExactly("-3");
            tx.inTransaction(c -> Sql.update(c, "insert into payment_order (order_id, source, payer_iban, payee_iban, payee_name,"
                    + " amount_eur, created_at) values ('ERP-6', 'JMS', 'FI4950009420028730', 'FI9112345600000786', 'Supplier',"
                    + " 1.00, ?)", now));
            List<String> next = tx.inTransaction(c -> Sql.strings(c, "select order_seq from payment_order where order_id = 'ERP-6'"));
            assertThat(next).containsExactly("1");
        }
    }
}
