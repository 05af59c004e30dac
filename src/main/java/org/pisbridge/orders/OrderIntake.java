package org.pisbridge.orders;

import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.pisbridge.store.OrderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one order message: a valid order is stored with its bundle; bad input becomes a
 * REJECTED_INPUT event naming the field and the reason, and is not retried (retrying cannot
 * mend it). A message that is not an order at all is also flagged for the dead-letter queue.
 */
public final class OrderIntake {
    private static final Logger LOG = LoggerFactory.getLogger(OrderIntake.class);
    /** Set on the exchange when the message was not an order at all, with the reason. */
    public static final String NOT_AN_ORDER = "pisNotAnOrder";

    private final OrderJson json = new OrderJson();
    private final OrderValidator validator = new OrderValidator();
    private final OrderStore store;

    public OrderIntake(OrderStore store) {
        this.store = store;
    }

    public void accept(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        String messageId = exchange.getMessage().getHeader("JMSMessageID", String.class);
        OrderInput input;
        try {
            input = json.read(body);
        } catch (OrderJson.NotAnOrder e) {
            String reason = "body: " + e.getMessage();
            store.rejectInput(messageId, reason);
            exchange.setProperty(NOT_AN_ORDER, reason);
            LOG.warn("Order message {} rejected: {}", messageId, reason);
            return;
        }
        OrderValidator.Result result = validator.validate(input);
        String orderId = input.orderId() != null && !input.orderId().isBlank() ? input.orderId().strip() : messageId;
        if (!result.valid()) {
            String reason = result.problems().stream().map(InputProblem::toString).collect(Collectors.joining("; "));
            store.rejectInput(orderId, reason);
            LOG.warn("Order {} rejected: {}", orderId, reason);
            return;
        }
        switch (store.accept(result.order(), "JMS", null, null)) {
            case DUPLICATE -> LOG.warn("Order {}: another order was received before under this orderId; not paid", orderId);
            case REPEATED -> LOG.info("Order {} received again with the same content (a redelivery or a re-send): nothing new",
                    orderId);
            case STORED -> { }
        }
    }
}
