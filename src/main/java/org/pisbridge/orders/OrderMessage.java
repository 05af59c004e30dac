package org.pisbridge.orders;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;

/**
 * One message taken from the orders queue: its JMS id, its text (null when it has none) and how
 * many times the broker has delivered it (1 the first time).
 */
public record OrderMessage(String messageId, String body, int deliveries) {

    static OrderMessage of(Message m) throws JMSException {
        String body;
        if (m instanceof TextMessage text) {
            body = text.getText();
        } else if (m instanceof BytesMessage bytes) {
            byte[] content = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(content);
            body = new String(content, StandardCharsets.UTF_8);
        } else {
            body = null;
        }
        int deliveries = m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 1;
        return new OrderMessage(m.getJMSMessageID(), body, Math.max(1, deliveries));
    }
}
