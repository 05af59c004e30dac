package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An order that cannot be stored (here: the store is gone) is tried a bounded number of times,
 * then moved to the dead-letter queue with the error attached, never dropped and never looping.
 */
class PoisonMessageTest {

    @Test
    void messageThatKeepsFailingEndsOnTheDeadLetterQueueWithItsError(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.orders.max-attempts", "2"))) {
            h.runtime.context().getRegistry().lookupByNameAndType("dataSource", HikariDataSource.class).close();
            Map<String, Object> order = FlowHarness.order("P-1", "P", 1, "FI4950009420028730", "FI9112345600000786", "9.00");
            h.send(order);

            MessageConsumer dlq = h.session.createConsumer(h.session.createQueue("pis.orders.DLQ"));
            Message dead = dlq.receive(60_000);
            assertThat(dead).isNotNull();
            assertThat(((TextMessage) dead).getText()).isEqualTo(FlowHarness.JSON.writeValueAsString(order));
            assertThat(dead.getStringProperty("pisError")).contains("closed");
            // consumed from the orders queue: nothing left to block it
            assertThat(h.session.createConsumer(h.session.createQueue("pis.orders")).receive(1000)).isNull();
        }
    }
}
