package org.pisbridge.bankdoc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A payment order as the document's creation example sends it: amountEUR a string with two decimals. */
record SepaPayment(String payerIban, String payeeIban, String payeeName, String amountEUR, String message) {

    static SepaPayment of(String payerIban, String payeeIban, String amountEUR) {
        return new SepaPayment(payerIban, payeeIban, "Test_Person", amountEUR, "test_payment");
    }

    String json() {
        ObjectNode body = BankResponse.JSON.createObjectNode();
        body.putObject("payee").put("iban", payeeIban).put("name", payeeName);
        body.putObject("payer").put("iban", payerIban);
        body.put("message", message);
        body.put("amountEUR", amountEUR);
        return write(body);
    }

    /** The same body carrying the authorizationId of the bundle it joins. */
    static String withAuthorizationId(String json, String authorizationId) {
        try {
            ObjectNode body = (ObjectNode) BankResponse.JSON.readTree(json);
            body.put("authorizationId", authorizationId);
            return write(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payment body is not JSON", e);
        }
    }

    private static String write(ObjectNode body) {
        try {
            return BankResponse.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
