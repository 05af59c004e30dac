package org.pisbridge.orders;

import java.util.List;
import org.apache.camel.Service;

/** The orders queue's receivers (pis.orders.concurrent-consumers): each a JMS session of its own. */
public final class OrderReceivers implements Service {
    private final List<OrderReceiver> receivers;

    public OrderReceivers(List<OrderReceiver> receivers) {
        this.receivers = List.copyOf(receivers);
    }

    public List<OrderReceiver> all() {
        return receivers;
    }

    /** The receiver's next batch, in its open transaction. */
    public List<OrderMessage> take(OrderReceiver receiver) throws jakarta.jms.JMSException {
        return receiver.take();
    }

    @Override
    public void start() {
        // each receiver connects on its first take
    }

    @Override
    public void stop() {
        receivers.forEach(OrderReceiver::close);
    }
}
