package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void twoRuntimesOnOneDatabaseAndBrokerPayEachOrderOnce(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String db = postgres.getJdbcUrl("postgres", "postgres");
            Map<String, String> shared = Map.of("pis.db.url", db, "pis.db.user", "postgres", "pis.db.password", "postgres",
                    "pis.orders.concurrent-consumers", "2");
            try (FlowHarness h = new FlowHarness(dir, shared)) {
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
}
