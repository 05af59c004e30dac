package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.cli.ResubmitCommand;

/**
 * An order that ended unpaid is re-submitted under its own orderId, by a JMS request or the
 * command, never automatically: paid once after a new SCA; and not at all when the bank reports the
 * earlier payment booked (then it is tracked to its real end). Anything else is refused, saying why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResubmissionTest {
    private static final String PAYMENTS = "/payments-psd2/v1/sepa-payments";
    private static final String PAYER = "FI4950009420028730";
    private static final String PAYEE = "FI9112345600000786";
    private FlowHarness h;

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

    private String ask(String orderId) throws Exception {
        return h.request("pis.orders.resubmit", orderId);
    }

    @Test
    void aFailedOrderIsPaidOnceUnderItsOwnOrderIdAfterANewSca() throws Exception {
        h.bank.faults().status("POST", PAYMENTS, 422, "InsufficientFunds at the time", 1);
        h.send(FlowHarness.order("R-1", "R-1", 1, PAYER, PAYEE, "31.00"));
        assertThat(h.finalEvent("R-1").get("state")).isEqualTo("FAILED");

        assertThat(ask("R-1")).startsWith("RESUBMITTED: R-1");
        Map<String, Object> sca = h.scaEventFor("31.00");
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
        Map<String, Object> end = h.finalEvent("R-1");
        assertThat(end.get("state")).isEqualTo("COMPLETED");
        assertThat(h.bank.state().payments.values().stream().filter(p -> p.message.contains("R-1"))
                .mapToInt(p -> h.bank.bookings(p.paymentId)).sum()).isEqualTo(1);
    }

    @Test
    void anOrderWhoseEarlierPaymentTheBankBookedIsTrackedNotPaidAgain() throws Exception {
        Map<String, Object> sca = h.singleOrderAwaitingSca("R-2", "32.00");
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
        Map<String, Object> done = h.finalEvent("R-2");
        assertThat(done.get("state")).isEqualTo("COMPLETED");
        // as an earlier version could leave it: booked at the bank, FAILED here
        DataSource ds = h.runtime.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update order_progress set state = 'FAILED' where order_seq = (select order_seq from payment_order where order_id = 'R-2')")) {
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ResubmitCommand.run(Path.of("config/application.properties"),
                Map.of("pis.broker.embedded.port", String.valueOf(h.brokerPort), "pis.sandbox.enabled", "false"),
                List.of("R-2"), new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("TRACKED: R-2").contains("Credited");
        assertThat(h.finalEvent("R-2").get("state")).isEqualTo("COMPLETED");
        assertThat(h.bank.state().payments.values().stream().filter(p -> p.message.contains("R-2"))).hasSize(1);
        assertThat(h.bank.bookings(done.get("paymentId").toString())).isEqualTo(1);
    }

    @Test
    void anOrderNotEndedUnpaidIsRefusedSayingWhy() throws Exception {
        assertThat(ask("no-such-order")).isEqualTo("REFUSED: no-such-order: no such order");
        Map<String, Object> sca = h.singleOrderAwaitingSca("R-3", "33.00");
        assertThat(ask("R-3")).startsWith("REFUSED: R-3: it is AWAITING_SCA");
        assertThat(h.user().approve(URI.create(sca.get("link").toString())).status()).isEqualTo(200);
        assertThat(h.finalEvent("R-3").get("state")).isEqualTo("COMPLETED");
    }
}
