package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.runtime.FreePorts;
import org.pisbridge.runtime.PisBridgeRuntime;
import org.pisbridge.sandbox.model.SandboxPayment;

/**
 * Scale-out: two runtimes share one PostgreSQL and one broker. Their consumers compete for the
 * orders and both run every stage, yet each order is paid once and ends COMPLETED.
 */
class TwoInstancesTest {

    /** A second runtime on the first one's database, broker and bank, started. */
    private static PisBridgeRuntime secondInstance(FlowHarness h, Path dir, Map<String, String> shared) throws Exception {
        Map<String, String> second = new HashMap<>(FlowHarness.runtimeSettings(dir.resolve("second"), h.bank,
                FreePorts.next(), FreePorts.next()));
        second.putAll(shared);
        second.put("pis.broker.url", "tcp://127.0.0.1:" + h.brokerPort);
        // instances share the key that encrypts tokens at rest, as they share the database
        second.put("pis.tokens.key-file", dir.resolve("keys/token.key").toString());
        // the SCA links and the bank's redirect stay those of the first instance (its browser-facing address)
        second.put("pis.http.public-url", "http://localhost:" + h.httpPort);
        PisBridgeRuntime other = new PisBridgeRuntime(Path.of("config/application.properties"), second);
        other.start();
        return other;
    }

    private static Map<String, String> sharedDatabase(EmbeddedPostgres postgres) {
        return Map.of("pis.db.url", postgres.getJdbcUrl("postgres", "postgres"), "pis.db.user", "postgres",
                "pis.db.password", "postgres", "pis.orders.concurrent-consumers", "2");
    }

    @Test
    void twoRuntimesOnOneDatabaseAndBrokerPayEachOrderOnce(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Map<String, String> shared = sharedDatabase(postgres);
            try (FlowHarness h = new FlowHarness(dir, shared)) {
                PisBridgeRuntime other = secondInstance(h, dir, shared);
                try {
                    List<String> ids = new ArrayList<>();
                    for (String batch : List.of("S1", "S2")) {
                        for (int i = 1; i <= 4; i++) {
                            String id = batch + "-" + i;
                            ids.add(id);
                            h.send(FlowHarness.order(id, batch, 4, "FI4950009420028730", "FI9112345600000786", "1" + i + ".00"));
                        }
                    }
                    for (int approved = 0; approved < 2; ) {
                        Map<String, Object> sca = h.nextScaEvent(30_000);
                        assertThat(sca).as("SCA event %d", approved + 1).isNotNull();
                        assertThat(sca.get("count")).isEqualTo(4);
                        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
                        approved++;
                    }
                    Map<String, List<Map<String, Object>>> events = h.eventsUntilFinal(ids, 240);
                    events.forEach((id, e) -> assertThat(FlowHarness.lastState(e)).as(id).isEqualTo("COMPLETED"));
                    List<SandboxPayment> payments = h.bank.state().payments.values().stream()
                            .filter(p -> p.message.startsWith("Test payment S")).toList();
                    assertThat(payments).hasSize(8);
                    payments.forEach(p -> assertThat(h.bank.bookings(p.paymentId)).isEqualTo(1));
                    // no second SCA was asked for either bundle
                    assertThat(h.nextScaEvent(1000)).isNull();
                } finally {
                    other.stop();
                }
            }
        }
    }

    /**
     * Both runtimes watch one inbox (a shared folder here, an SFTP directory in production): each
     * file is read by one of them only, so no line is seen twice and every report row is its order.
     */
    @Test
    void twoRuntimesWatchingOneInboxReadEachFileOnce(@TempDir Path dir) throws Exception {
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Map<String, String> shared = new HashMap<>(sharedDatabase(postgres));
            shared.putAll(FileIngestTest.folders(inbox, outbox));
            try (FlowHarness h = new FlowHarness(dir, shared)) {
                PisBridgeRuntime other = secondInstance(h, dir, shared);
                try {
                    int lines = 40;
                    List<String> files = List.of("ap-1.csv", "ap-2.csv", "ap-3.csv");
                    for (String file : files) {
                        StringBuilder csv = new StringBuilder("orderId;payerIban;payeeIban;payeeName;amount;message;reference\n");
                        for (int i = 1; i <= lines; i++) {
                            csv.append(file).append('-').append(i).append(";FI4950009420028730;FI9112345600000786;Supplier ")
                                    .append(i).append(";1.").append(String.format("%02d", i)).append(";;\n");
                        }
                        FileIngestTest.drop(inbox, file, csv.toString(), StandardCharsets.UTF_8);
                    }
                    FileIngestTest.approve(h, files.size());
                    for (String file : files) {
                        Map<String, CSVRecord> rows = FileIngestTest.finalReport(outbox.resolve(file + ".status.csv"), ';', lines);
                        assertThat(rows.values()).as(file).extracting(r -> r.get("state")).containsOnly("COMPLETED");
                        rows.values().forEach(r -> assertThat(h.bank.bookings(r.get("paymentId"))).isEqualTo(1));
                        assertThat(inbox.resolve(".done/" + file)).exists();
                    }
                    // a second reader of the same file would have left DUPLICATE lines, or moved the file to .error/
                    try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
                         ResultSet rs = c.createStatement().executeQuery("select count(*) from ingest_line")) {
                        rs.next();
                        assertThat(rs.getInt(1)).isZero();
                    }
                    assertThat(inbox.resolve(".error")).doesNotExist();
                    assertThat(h.nextScaEvent(1000)).isNull();
                } finally {
                    other.stop();
                }
            }
        }
    }
}
