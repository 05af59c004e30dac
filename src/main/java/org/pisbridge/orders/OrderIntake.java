package org.pisbridge.orders;

import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.pisbridge.store.OrderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a receiver's batch of order messages: the valid orders are stored with their bundles,
 * bad input becomes REJECTED_INPUT events naming the field and the reason (never retried:
 * retrying cannot mend it), all in one store transaction; a message that is not an order at all
 * is also moved to the dead-letter queue. Then the batch is acknowledged. A batch that fails is
 * taken again one message at a time; a message that still fails after
 * {@code pis.orders.max-attempts} further deliveries goes to the dead-letter queue with the
 * error, so it never blocks the queue.
 */
public final class OrderIntake {
    private static final Logger LOG = LoggerFactory.getLogger(OrderIntake.class);

    private final OrderJson json = new OrderJson();
    private final OrderValidator validator = new OrderValidator();
    private final OrderStore store;
    private final int maxAttempts;
    private final String deadLetterQueue;

    public OrderIntake(OrderStore store, int maxAttempts, String deadLetterQueue) {
        this.store = store;
        this.maxAttempts = maxAttempts;
        this.deadLetterQueue = deadLetterQueue;
    }

    /** Stores the receiver's batch, then acknowledges it. */
    public void store(OrderReceiver receiver) throws JMSException {
        List<OrderMessage> batch = receiver.taken();
        if (batch.isEmpty()) {
            return;
        }
        List<PaymentOrder> orders = new ArrayList<>();
        List<OrderStore.Rejection> rejections = new ArrayList<>();
        List<OrderMessage> notOrders = new ArrayList<>();
        List<String> notOrderReasons = new ArrayList<>();
        for (OrderMessage m : batch) {
            OrderInput input;
            try {
                input = json.read(m.body());
            } catch (OrderJson.NotAnOrder e) {
                String reason = "body: " + e.getMessage();
                rejections.add(new OrderStore.Rejection(m.messageId(), reason));
                notOrders.add(m);
                notOrderReasons.add(reason);
                LOG.warn("Order message {} rejected: {}", m.messageId(), reason);
                continue;
            }
            OrderValidator.Result result = validator.validate(input);
            if (result.valid()) {
                orders.add(result.order());
            } else {
                String orderId = input.orderId() != null && !input.orderId().isBlank() ? input.orderId().strip() : m.messageId();
                String reason = result.problems().stream().map(InputProblem::toString).collect(Collectors.joining("; "));
                rejections.add(new OrderStore.Rejection(orderId, reason));
                LOG.warn("Order {} rejected: {}", orderId, reason);
            }
        }
        List<OrderStore.Accepted> outcomes = store.acceptMessages(orders, rejections, "JMS");
        for (int i = 0; i < outcomes.size(); i++) {
            String orderId = orders.get(i).orderId();
            switch (outcomes.get(i)) {
                case DUPLICATE -> LOG.warn("Order {}: another order was received before under this orderId; not paid", orderId);
                case REPEATED -> LOG.info("Order {} received again with the same content (a redelivery or a re-send): nothing new",
                        orderId);
                case STORED -> { }
            }
        }
        for (int i = 0; i < notOrders.size(); i++) {
            receiver.deadLetter(notOrders.get(i), notOrderReasons.get(i));
        }
        receiver.commit();
    }

    /** The batch could not be stored: taken again one by one, or, one message having failed too often, dead-lettered. */
    public void failed(OrderReceiver receiver, Exception e) {
        List<OrderMessage> batch = receiver.taken();
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (batch.isEmpty()) {
            LOG.warn("Taking order messages from the queue failed, trying again shortly: {}", error);
            receiver.rollback();
            return;
        }
        if (batch.size() == 1 && batch.get(0).deliveries() > maxAttempts) {
            try {
                receiver.deadLetter(batch.get(0), error);
                receiver.commit();
                LOG.error("Order message {} moved to {} after {} deliveries: {}", batch.get(0).messageId(), deadLetterQueue,
                        batch.get(0).deliveries(), error);
                return;
            } catch (JMSException | RuntimeException j) {
                LOG.warn("Order message {} could not be moved to {}: {}", batch.get(0).messageId(), deadLetterQueue, j.getMessage());
            }
        }
        LOG.warn("{} order message(s) not stored, taken again shortly: {}", batch.size(), error);
        receiver.rollback();
    }
}
