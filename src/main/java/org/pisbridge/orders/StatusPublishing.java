package org.pisbridge.orders;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.pisbridge.store.OrderHistory;
import org.pisbridge.store.StatusOutbox;
import org.pisbridge.store.Transactions;

/**
 * Publishes the event outbox: status changes to the status queue (JMS correlation id = orderId),
 * "SCA required" events to the SCA queue (correlation id = bundleId), oldest first, deleted once
 * sent, and kept as the order's history in the same transaction. Only the instance holding the publisher lock publishes, so instances sharing the database
 * neither duplicate nor reorder events; a crash between send and commit sends again. A batch is
 * sent in one JMS transaction: the broker writes its journal once per batch, not once per event.
 */
public final class StatusPublishing {
    private final Transactions tx;
    private final StatusOutbox outbox = new StatusOutbox();
    private final OrderHistory history;
    private final ConnectionFactory producers;
    private final String statusQueue;
    private final String scaQueue;
    private final int batch;

    public StatusPublishing(Transactions tx, OrderHistory history, ConnectionFactory producers, String statusQueue,
                            String scaQueue, int batch) {
        this.tx = tx;
        this.history = history;
        this.producers = producers;
        this.statusQueue = statusQueue;
        this.scaQueue = scaQueue;
        this.batch = batch;
    }

    /** Publishes up to one batch of events; returns how many were sent. */
    public int publish() {
        return tx.inTransaction(c -> {
            // another instance publishing now: it sends these events too, in order; this one waits for nothing
            try (PreparedStatement lock = c.prepareStatement("select id from outbox_publisher where id = 1 for update skip locked");
                 ResultSet held = lock.executeQuery()) {
                if (!held.next()) {
                    return 0;
                }
            }
            List<StatusOutbox.Pending> events = outbox.oldest(c, batch);
            if (events.isEmpty()) {
                return 0;
            }
            send(events);
            outbox.delete(c, events);
            history.recordPublished(c, events);
            return events.size();
        });
    }

    /** Whether {@code published} (what {@link #publish} returned) was a full batch: more may be waiting. */
    public boolean fullBatch(int published) {
        return published == batch;
    }

    private void send(List<StatusOutbox.Pending> events) {
        try (Connection jms = producers.createConnection();
             Session session = jms.createSession(true, Session.SESSION_TRANSACTED)) {
            Queue status = session.createQueue(statusQueue);
            Queue sca = session.createQueue(scaQueue);
            try (MessageProducer producer = session.createProducer(null)) {
                for (StatusOutbox.Pending e : events) {
                    TextMessage message = session.createTextMessage(e.payload());
                    message.setJMSCorrelationID(e.correlationId());
                    producer.send(StatusOutbox.SCA.equals(e.topic()) ? sca : status, message);
                }
            }
            session.commit();
        } catch (JMSException e) {
            // the events stay in the outbox and go out with the next round
            throw new IllegalStateException("status events not published: " + e.getMessage(), e);
        }
    }
}
