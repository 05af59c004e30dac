package org.pisbridge.orders;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the orders queue in a transacted JMS session of its own: it takes a batch of
 * messages, and the batch is acknowledged as a whole ({@link #commit}) once intake has stored it —
 * one broker commit and one store transaction for many orders instead of one each. A batch that
 * failed comes back, and its messages are then taken one at a time, so one bad message fails
 * alone; after a failure the receiver takes nothing for a while (doubling, at most a minute).
 * Used by one thread at a time (route receive-orders).
 */
public final class OrderReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrderReceiver.class);
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

    private final ConnectionFactory factory;
    private final String queue;
    private final String deadLetterQueue;
    private final int batchSize;
    private final Duration firstWait;
    private final Duration nextWait;
    private final Duration retryDelay;
    private final Clock clock;

    private Connection connection;
    private Session session;
    private MessageConsumer consumer;
    private MessageProducer deadLetters;
    private List<OrderMessage> taken = List.of();
    private int takeSingly;
    private int failuresInARow;
    private Instant pausedUntil = Instant.MIN;

    /**
     * @param firstWait how long a take waits for a first message
     * @param nextWait  how long it waits for each further message of a batch
     */
    public OrderReceiver(ConnectionFactory factory, String queue, String deadLetterQueue, int batchSize, Duration firstWait,
                         Duration nextWait, Duration retryDelay, Clock clock) {
        this.factory = factory;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.batchSize = batchSize;
        this.firstWait = firstWait;
        this.nextWait = nextWait;
        this.retryDelay = retryDelay;
        this.clock = clock;
    }

    /** Takes the next batch, in an open transaction; empty when none came, or while pausing after a failure. */
    public synchronized List<OrderMessage> take() throws JMSException {
        taken = List.of();
        if (clock.instant().isBefore(pausedUntil)) {
            return taken;
        }
        try {
            open();
            int limit = takeSingly > 0 ? 1 : batchSize;
            List<OrderMessage> batch = new ArrayList<>();
            Message m = consumer.receive(firstWait.toMillis());
            while (m != null) {
                batch.add(OrderMessage.of(m));
                m = batch.size() < limit ? consumer.receive(nextWait.toMillis()) : null;
            }
            taken = List.copyOf(batch);
            return taken;
        } catch (JMSException e) {
            // the broker is gone or the session broken: what was taken comes back to whoever connects next
            close();
            throw e;
        }
    }

    /** The batch last taken. */
    public synchronized List<OrderMessage> taken() {
        return taken;
    }

    /** The batch is stored (or refused as input): acknowledged, with whatever was dead-lettered in it. */
    public synchronized void commit() throws JMSException {
        try {
            session.commit();
        } catch (JMSException e) {
            close();
            throw e;
        }
        takeSingly = Math.max(0, takeSingly - taken.size());
        failuresInARow = 0;
    }

    /** The batch failed: it comes back, one message at a time; nothing is taken for a while. */
    public synchronized void rollback() {
        if (taken.size() > 1) {
            takeSingly += taken.size();
        }
        pause();
        try {
            session.rollback();
        } catch (JMSException | RuntimeException e) {
            LOG.warn("Rolling back a batch of order messages failed ({}): reconnecting", e.getMessage());
            close();
        }
    }

    /**
     * Moves a message to the dead-letter queue in this transaction, with the reason and what the ERP
     * set on it (correlation id, its own properties); it leaves the orders queue at the next commit.
     * A message that keeps failing is moved this way too.
     */
    public synchronized void deadLetter(OrderMessage message, String error) throws JMSException {
        TextMessage dead = session.createTextMessage(message.body());
        for (Map.Entry<String, Object> property : message.properties().entrySet()) {
            dead.setObjectProperty(property.getKey(), property.getValue());
        }
        dead.setJMSCorrelationID(message.correlationId());
        dead.setStringProperty("pisError", error);
        dead.setStringProperty("pisOriginalMessageId", message.messageId());
        deadLetters.send(dead);
    }

    private void pause() {
        failuresInARow++;
        Duration pause = retryDelay.multipliedBy(1L << Math.min(failuresInARow - 1, 16));
        pausedUntil = clock.instant().plus(pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause);
    }

    private void open() throws JMSException {
        if (session != null) {
            return;
        }
        connection = factory.createConnection();
        session = connection.createSession(true, Session.SESSION_TRANSACTED);
        consumer = session.createConsumer(session.createQueue(queue));
        deadLetters = session.createProducer(session.createQueue(deadLetterQueue));
        connection.start();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException e) {
                LOG.debug("Closing an orders connection: {}", e.getMessage());
            }
        }
        connection = null;
        session = null;
        consumer = null;
        deadLetters = null;
    }
}
