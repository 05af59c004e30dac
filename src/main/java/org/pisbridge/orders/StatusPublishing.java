package org.pisbridge.orders;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.apache.camel.ProducerTemplate;
import org.pisbridge.store.StatusOutbox;
import org.pisbridge.store.Transactions;

/**
 * Publishes the event outbox: status changes to the status queue (JMS correlation id = orderId),
 * "SCA required" events to the SCA queue (correlation id = bundleId), oldest first, each deleted
 * once sent. Only the instance holding the publisher lock publishes, so instances sharing the
 * database neither duplicate nor reorder events; a crash between send and commit sends again.
 */
public final class StatusPublishing {
    private final Transactions tx;
    private final StatusOutbox outbox = new StatusOutbox();
    private final ProducerTemplate jms;
    private final String statusQueue;
    private final String scaQueue;
    private final int batch;

    public StatusPublishing(Transactions tx, ProducerTemplate jms, String statusQueue, String scaQueue, int batch) {
        this.tx = tx;
        this.jms = jms;
        this.statusQueue = statusQueue;
        this.scaQueue = scaQueue;
        this.batch = batch;
    }

    /** Publishes up to one batch of events; returns how many were sent. */
    public int publish() {
        return tx.inTransaction(c -> {
            try (PreparedStatement lock = c.prepareStatement("select id from outbox_publisher where id = 1 for update");
                 ResultSet held = lock.executeQuery()) {
                held.next();
            }
            int sent = 0;
            for (StatusOutbox.Pending e : outbox.oldest(c, batch)) {
                String queue = StatusOutbox.SCA.equals(e.topic()) ? scaQueue : statusQueue;
                jms.sendBodyAndHeader("jms:queue:" + queue + "?connectionFactory=#jmsProducers", e.payload(), "JMSCorrelationID", e.correlationId());
                outbox.delete(c, e.eventId());
                sent++;
            }
            return sent;
        });
    }
}
