package org.pisbridge.cli;

import jakarta.jms.ConnectionFactory;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.pisbridge.orders.OrderState;
import org.pisbridge.orders.StatusEvent;
import org.pisbridge.orders.StatusPublishing;
import org.pisbridge.runtime.BrokerCredentials;
import org.pisbridge.runtime.EmbeddedBroker;
import org.pisbridge.store.Database;
import org.pisbridge.store.OrderHistory;
import org.pisbridge.store.StatusOutbox;
import org.pisbridge.store.Transactions;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * {@code pis-bridge bench-publish N}: stores N status events in the outbox of a fresh H2 store and
 * publishes them to an embedded Artemis broker over TCP as the runtime does (its cached producer
 * connection, one JMS transaction per batch of 500); prints events/s. A 10,000-line payroll file
 * makes about 70,000 events on its way to COMPLETED.
 */
final class PublishBenchmark {
    private PublishBenchmark() {
    }

    static int run(int events) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (ScratchDirectory scratch = new ScratchDirectory("pis-bench-publish")) {
            BrokerCredentials login = BrokerCredentials.loadOrCreate(scratch.resolve("broker.properties"));
            try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port, scratch.resolve("artemis"), 5, login);
                 Database db = scratch.database(4)) {
                run(events, db, port, login);
            }
        }
        return 0;
    }

    private static void run(int events, Database db, int port, BrokerCredentials login) throws Exception {
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
        broker.setUser(login.user());
        broker.setPassword(login.password());
        CachingConnectionFactory producers = new CachingConnectionFactory(broker);
        try {
            System.out.printf("%d events published in batches of 500: %.0f events/s%n", events,
                    publish(events, db, producers));
        } finally {
            producers.destroy();
        }
    }

    /** Stores the events, then times publishing all of them; returns events per second. */
    private static double publish(int events, Database db, ConnectionFactory producers) throws Exception {
        Transactions tx = new Transactions(db.dataSource());
        StatusOutbox outbox = new StatusOutbox();
        tx.inTransaction(c -> {
            List<StatusEvent> batch = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                batch.add(new StatusEvent("BENCH-" + i, null, null, OrderState.RECEIVED, null, null, Instant.now()));
            }
            outbox.recordAll(c, batch);
            return null;
        });
        StatusPublishing publishing = new StatusPublishing(tx, new OrderHistory(tx, Clock.systemUTC()), producers, "bench.status", "bench.sca", 500);
        long start = System.nanoTime();
        int sent = 0;
        for (int n; (n = publishing.publish()) > 0; ) {
            sent += n;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sent != events) {
            throw new IllegalStateException(sent + " of " + events + " events published");
        }
        return sent / seconds;
    }
}
