package org.pisbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.pisbridge.orders.OrderState;
import org.pisbridge.sandbox.SimulatedUser;
import org.pisbridge.sandbox.TppMaterial;

/**
 * The flow benchmark's company side in a process of its own, so that its work is not counted as the runtime's:
 * the ERP system sending JMS orders and reading the status events, and the users approving the bundles at the
 * bank's pages, {@value #APPROVERS} at once.
 *
 * <p>Its stdin and stdout are the control channel, a JSON line each way ({@link ChildJvm}). The first line in
 * is the {@link Setup} (on stdin, not the command line, for the broker's password). Then each {@link Round}
 * line runs a round: the orders in declared batches, each batch in one JMS transaction as an ERP would send
 * it, answered by {@link Sent}; when every bundle's "SCA required" event came, {@link ScaLinks}; then the
 * approvals, and when every order is final, {@link Finished}. {@code stop}, or stdin closing, ends it.
 */
public final class ErpClientProcess {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYER = "FI4950009420028730";
    private static final String PAYEE = "FI9112345600000786";
    /** Users approving at the bank's pages at once. */
    static final int APPROVERS = 8;
    private static final long EVENT_WAIT_MS = 600_000;

    /** The runtime's broker, its queues, and the TPP material's trust store (the bank's pages' certificate). */
    public record Setup(String brokerUrl, String user, String password, String ordersQueue, String scaQueue,
                        String statusQueue, String tppDir) {
        @Override
        public String toString() {
            return "Setup[" + brokerUrl + ", user " + user + "]";
        }
    }

    /**
     * A round: {@code orders} orders in declared batches of {@code batch}, their ids {@code name-0}, {@code name-1}, …
     * or random UUIDs (as many ERPs make them) when {@code randomOrderIds}.
     */
    public record Round(String name, int orders, int batch, boolean randomOrderIds) {
    }

    /** All orders sent, after {@code seconds}. */
    public record Sent(double seconds) {
    }

    /** Every bundle's SCA link came, {@code seconds} after the first order was sent. */
    public record ScaLinks(int bundles, double seconds) {
    }

    /**
     * Every order final. {@code storingSeconds}: from the first order sent until intake stored the last one
     * (the latest RECEIVED event's own time); {@code cpuNanos}: this process's CPU time over the round.
     */
    public record Finished(double approvingSeconds, double toFinalSeconds, double storingSeconds, double totalSeconds,
                           long cpuNanos) {
    }

    private final Setup setup;
    private final ActiveMQConnectionFactory broker;
    private final SSLContext trust;
    private final PrintStream channel;

    private ErpClientProcess(Setup setup, ActiveMQConnectionFactory broker, SSLContext trust, PrintStream channel) {
        this.setup = setup;
        this.broker = broker;
        this.trust = trust;
        this.channel = channel;
    }

    public static void main(String[] args) throws Exception {
        // stdout carries the answers only: everything else printed (logs among it) goes to stderr
        PrintStream channel = System.out;
        System.setOut(System.err);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            Setup setup = JSON.readValue(commands.readLine(), Setup.class);
            try (ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(setup.brokerUrl(), setup.user(), setup.password())) {
                ErpClientProcess erp = new ErpClientProcess(setup, broker, TppMaterial.load(Path.of(setup.tppDir())).trustContext(), channel);
                for (String command = commands.readLine(); command != null && !command.equals("stop"); command = commands.readLine()) {
                    erp.run(JSON.readValue(command, Round.class));
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            answer(channel, Map.of("error", String.valueOf(e)));
        }
    }

    private void run(Round round) throws Exception {
        long cpu0 = cpuNanos();
        try (Connection jms = broker.createConnection()) {
            jms.start();
            Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer scaEvents = session.createConsumer(session.createQueue(setup.scaQueue()));
            MessageConsumer statusEvents = session.createConsumer(session.createQueue(setup.statusQueue()));
            // each batch in one JMS transaction (a send per message would wait for the broker's journal each
            // time, measuring the sender rather than the runtime)
            Session sending = jms.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = sending.createProducer(sending.createQueue(setup.ordersQueue()));

            long start = System.nanoTime();
            Instant sendingFrom = Instant.now();
            for (int i = 0; i < round.orders(); i++) {
                int size = Math.min(round.batch(), round.orders() - i / round.batch() * round.batch());
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("orderId", round.randomOrderIds() ? UUID.randomUUID().toString() : round.name() + "-" + i);
                o.put("batchId", round.name() + "-" + (i / round.batch()));
                o.put("batchSize", size);
                o.put("payer", Map.of("iban", PAYER));
                o.put("payee", Map.of("iban", PAYEE, "name", "Payee " + i));
                o.put("amountEUR", "1.00");
                producer.send(sending.createTextMessage(JSON.writeValueAsString(o)));
                if ((i + 1) % round.batch() == 0 || i + 1 == round.orders()) {
                    sending.commit();
                }
            }
            answer(channel, new Sent(seconds(start)));

            int bundles = (round.orders() + round.batch() - 1) / round.batch();
            List<String> links = new ArrayList<>();
            while (links.size() < bundles) {
                if (!(scaEvents.receive(EVENT_WAIT_MS) instanceof TextMessage t)) {
                    throw new IllegalStateException("no SCA event within 10 minutes; " + links.size() + " of " + bundles);
                }
                links.add(String.valueOf(JSON.readValue(t.getText(), Map.class).get("link")));
            }
            answer(channel, new ScaLinks(bundles, seconds(start)));

            long approved = System.nanoTime();
            approve(links);
            double approving = seconds(approved);
            Set<String> done = new HashSet<>();
            Instant lastStored = sendingFrom;
            while (done.size() < round.orders()) {
                if (!(statusEvents.receive(EVENT_WAIT_MS) instanceof TextMessage t)) {
                    throw new IllegalStateException("no status event within 10 minutes; " + done.size() + " of "
                            + round.orders() + " final");
                }
                Map<?, ?> event = JSON.readValue(t.getText(), Map.class);
                OrderState state = OrderState.valueOf(String.valueOf(event.get("state")));
                if (state == OrderState.RECEIVED) {
                    Instant at = Instant.parse(String.valueOf(event.get("timestamp")));
                    lastStored = at.isAfter(lastStored) ? at : lastStored;
                }
                if (state.isFinal()) {
                    done.add(String.valueOf(event.get("orderId")));
                }
            }
            answer(channel, new Finished(approving, seconds(approved), Duration.between(sendingFrom, lastStored).toMillis() / 1000.0,
                    seconds(start), cpuNanos() - cpu0));
        }
    }

    /** Each bundle approved by a user of its own, {@value #APPROVERS} at once, as many customers would. */
    private void approve(List<String> links) throws Exception {
        ExecutorService approvers = Executors.newFixedThreadPool(APPROVERS, walk -> new Thread(walk, "approver"));
        try {
            List<Future<SimulatedUser.Outcome>> walks = new ArrayList<>();
            for (String link : links) {
                walks.add(approvers.submit(() -> new SimulatedUser(trust, "88888881", "11221122").approve(URI.create(link))));
            }
            for (Future<SimulatedUser.Outcome> walk : walks) {
                walk.get();
            }
        } finally {
            approvers.shutdownNow();
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void answer(PrintStream channel, Object line) throws java.io.IOException {
        channel.println(JSON.writeValueAsString(line));
        channel.flush();
    }
}
