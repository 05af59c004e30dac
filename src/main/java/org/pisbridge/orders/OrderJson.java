package org.pisbridge.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads an order message: {@code orderId}, {@code batchId}, {@code batchSize}, {@code payer.iban},
 * {@code payee.iban}, {@code payee.name}, {@code amountEUR} (string or number, read exactly, never
 * through a double), {@code message}, {@code reference}, {@code sca}, and the optional {@code customer.ipAddress},
 * {@code customer.userAgent}, {@code customer.lastLoggedTime}.
 */
public final class OrderJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The message could not be read as an order at all. */
    public static final class NotAnOrder extends Exception {
        public NotAnOrder(String message) {
            super(message);
        }
    }

    public OrderInput read(String body) throws NotAnOrder {
        JsonNode root;
        try {
            root = body == null ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new NotAnOrder("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new NotAnOrder("not a JSON object");
        }
        return new OrderInput(text(root.get("orderId")), text(root.get("batchId")), text(root.get("batchSize")),
                text(root.path("payer").get("iban")), text(root.path("payee").get("iban")),
                text(root.path("payee").get("name")), text(root.get("amountEUR")), text(root.get("message")),
                text(root.get("reference")), text(root.get("sca")), text(root.path("customer").get("ipAddress")),
                text(root.path("customer").get("userAgent")), text(root.path("customer").get("lastLoggedTime")));
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBigDecimal() || node.isFloatingPointNumber()) {
            return node.decimalValue().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
