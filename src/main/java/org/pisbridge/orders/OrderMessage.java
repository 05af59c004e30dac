package org.pisbridge.orders;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message taken from the orders queue: its JMS id, its text (null when it has none), how many
 * times the broker has delivered it (1 the first time), and what the ERP set on it (its correlation
 * id and its own properties), which a dead letter carries on so the ERP can tell it.
 */
public record OrderMessage(String messageId, String body, int deliveries, String correlationId, Map<String, Object> properties) {

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
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
            String name = String.valueOf(names.nextElement());
            // the provider's own (JMSX…, JMS_…, Artemis' _AMQ…) are the broker's, not the ERP's
            if (!name.startsWith("JMSX") && !name.startsWith("JMS_") && !name.startsWith("_")) {
                properties.put(name, m.getObjectProperty(name));
            }
        }
        return new OrderMessage(m.getJMSMessageID(), body, Math.max(1, deliveries), m.getJMSCorrelationID(),
                Collections.unmodifiableMap(properties));
    }
}
