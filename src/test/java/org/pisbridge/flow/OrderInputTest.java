package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Orders as the ERP sends them: bad input is answered with a REJECTED_INPUT event naming the
 * field and reason without blocking the queue; a message that is not an order ends on the DLQ
 * with the error attached; a repeated orderId is reported DUPLICATE and paid once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderInputTest {
    private FlowHarness h;
    private int n;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        h = new FlowHarness(dir, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    static Stream<Arguments> badOrders() {
        return Stream.of(
                bad("orderId", "is required", o -> o.remove("orderId")),
                bad("payer.iban", "is required", o -> o.remove("payer")),
                bad("payee.name", "is required", o -> o.put("payee", Map.of("iban", "FI9112345600000786"))),
                bad("payer.iban", "IBAN checksum is wrong", o -> o.put("payer", Map.of("iban", "FI4950009420028731"))),
                bad("payee.iban", "IBAN checksum is wrong", o -> o.put("payee", Map.of("iban", "FI9112345600000787", "name", "X"))),
                bad("amountEUR", "must be greater than 0", o -> o.put("amountEUR", "0.00")),
                bad("amountEUR", "must be greater than 0", o -> o.put("amountEUR", -1)),
                bad("amountEUR", "has more than two decimals", o -> o.put("amountEUR", "1.005")),
                bad("amountEUR", "is required", o -> o.remove("amountEUR")),
                bad("amountEUR", "is not a number", o -> o.put("amountEUR", "12,50 EUR")),
                bad("message", "is longer than 140 characters", o -> o.put("message", "x".repeat(141))),
                bad("payee.name", "is longer than 70 characters", o -> o.put("payee", Map.of("iban", "FI9112345600000786", "name", "y".repeat(71)))));
    }

    private static Arguments bad(String field, String reason, Consumer<Map<String, Object>> spoil) {
        return Arguments.of(field, reason, spoil);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badOrders")
    void badInputIsRejectedNamingFieldAndReason(String field, String reason, Consumer<Map<String, Object>> spoil) throws Exception {
        String orderId = "bad-" + (++n);
        Map<String, Object> order = new LinkedHashMap<>(FlowHarness.order(orderId, null, 0, "FI4950009420028730",
                "FI9112345600000786", "5.00"));
        spoil.accept(order);
        h.send(order);
        // the event is keyed by the orderId, or by the JMS message id when the orderId is missing
        Map<String, Object> event = nextRejection();
        assertThat(event.get("state")).isEqualTo("REJECTED_INPUT");
        assertThat(event.get("reason").toString()).contains(field + ": " + reason);
        if (order.containsKey("orderId")) {
            assertThat(event.get("orderId")).isEqualTo(orderId);
        }
    }

    @Test
    void notJsonEndsOnTheDeadLetterQueueWithTheErrorAndTheQueueGoesOn() throws Exception {
        TextMessage sent = h.session.createTextMessage("<order>not json</order>");
        sent.setJMSCorrelationID("erp-correlation-1");
        sent.setStringProperty("erpBatchRef", "AP-2026-12");
        h.session.createProducer(h.session.createQueue("pis.orders")).send(sent);
        // closed after: a consumer left open would take a share of the later tests' dead letters
        try (MessageConsumer dlq = h.session.createConsumer(h.session.createQueue("pis.orders.DLQ"))) {
            Message dead = dlq.receive(30_000);
            assertThat(dead).isNotNull();
            assertThat(((TextMessage) dead).getText()).isEqualTo("<order>not json</order>");
            assertThat(dead.getStringProperty("pisError")).startsWith("body: not JSON");
            // what the ERP set on its message comes with it, so the ERP can tell which it was
            assertThat(dead.getJMSCorrelationID()).isEqualTo("erp-correlation-1");
            assertThat(dead.getStringProperty("erpBatchRef")).isEqualTo("AP-2026-12");
        }
        assertThat(nextRejection().get("reason").toString()).startsWith("body: not JSON");

        // the next good order still goes through
        String orderId = "after-poison-" + (++n);
        h.send(FlowHarness.order(orderId, "b-" + orderId, 1, "FI4950009420028730", "FI9112345600000786", "6.00"));
        assertThat(h.nextScaEvent(30_000)).isNotNull();
    }

    @Test
    void messagesTakenTogetherAreStoredTogetherAndOneThatIsNotAnOrderIsSetApart() throws Exception {
        // sent in one JMS transaction, so they reach the receiver together and make one batch
        String batchId = "together-" + (++n);
        try (jakarta.jms.Connection erp = FlowHarness.brokerClient(h.brokerPort).createConnection()) {
            jakarta.jms.Session sending = erp.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED);
            jakarta.jms.MessageProducer producer = sending.createProducer(sending.createQueue("pis.orders"));
            for (int i = 1; i <= 30; i++) {
                producer.send(sending.createTextMessage(FlowHarness.JSON.writeValueAsString(FlowHarness.order(
                        batchId + "-" + i, batchId, 30, "FI4950009420028730", "FI9112345600000786", "1.00"))));
                if (i == 15) {
                    producer.send(sending.createTextMessage("{\"orderId\": "));
                }
            }
            sending.commit();
        }
        try (MessageConsumer dlq = h.session.createConsumer(h.session.createQueue("pis.orders.DLQ"))) {
            Message dead = dlq.receive(30_000);
            assertThat(dead).isNotNull();
            assertThat(((TextMessage) dead).getText()).isEqualTo("{\"orderId\": ");
            assertThat(dead.getStringProperty("pisError")).startsWith("body: not JSON");
            // all 30 orders are in the batch's one bundle
            assertThat(h.scaEventFor("30.00")).containsEntry("count", 30);
            assertThat(dlq.receive(500)).isNull();
        }
    }

    @Test
    void batchesSentTogetherToSeveralReceiversEachMakeOneWholeBundle() throws Exception {
        // eight declared batches of 60, each in one JMS transaction, sent back to back: the (four)
        // receivers take them in batches of their own and open the bundles side by side
        int batches = 8;
        int size = 60;
        String prefix = "many-" + (++n);
        try (jakarta.jms.Connection erp = FlowHarness.brokerClient(h.brokerPort).createConnection()) {
            jakarta.jms.Session sending = erp.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED);
            jakarta.jms.MessageProducer producer = sending.createProducer(sending.createQueue("pis.orders"));
            for (int b = 1; b <= batches; b++) {
                for (int i = 1; i <= size; i++) {
                    producer.send(sending.createTextMessage(FlowHarness.JSON.writeValueAsString(FlowHarness.order(
                            prefix + "-" + b + "-" + i, prefix + "-" + b, size, "FI4950009420028730", "FI9112345600000786",
                            b + "0.00"))));
                }
                sending.commit();
            }
        }
        // batch b's bundle totals 60 x b0.00 EUR
        Map<String, Object> byTotal = new java.util.HashMap<>();
        for (int waits = 0; byTotal.size() < batches && waits < 240; waits++) {
            Map<String, Object> sca = h.nextScaEvent(500);
            if (sca != null) {
                byTotal.put(new java.math.BigDecimal(sca.get("totalEUR").toString()).stripTrailingZeros().toPlainString(),
                        sca.get("count"));
            }
        }
        for (int b = 1; b <= batches; b++) {
            assertThat(byTotal).containsEntry(java.math.BigDecimal.valueOf(size * b * 10L).toPlainString(), size);
        }
    }

    @Test
    void repeatedOrderIdIsReportedDuplicateAndPaidOnce() throws Exception {
        String orderId = "dup-" + (++n);
        Map<String, Object> sca = h.singleOrderAwaitingSca(orderId, "7.00");
        h.send(FlowHarness.order(orderId, "other-batch", 1, "FI4950009420028730", "FI2940000000000011", "700.00"));
        Map<String, Object> duplicate = h.nextEventInState("DUPLICATE", 60);
        assertThat(duplicate.get("orderId")).isEqualTo(orderId);
        assertThat(duplicate.get("reason").toString()).contains("received before");

        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
        assertThat(h.finalEvent(orderId).get("state")).isEqualTo("COMPLETED");
        assertThat(h.bank.state().payments.values().stream().filter(p -> p.message.contains(orderId))).hasSize(1);
        assertThat(h.bank.state().payments.values().stream().filter(p -> p.message.contains(orderId)).findFirst()
                .orElseThrow().amountEUR).isEqualByComparingTo("7.00");
    }

    private Map<String, Object> nextRejection() throws Exception {
        return h.nextEventInState("REJECTED_INPUT", 60);
    }
}
