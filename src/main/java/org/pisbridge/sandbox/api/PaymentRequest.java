package org.pisbridge.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.regex.Pattern;
import org.iban4j.Iban4jException;
import org.iban4j.IbanUtil;
import org.pisbridge.sandbox.SandboxError;

/**
 * The body of {@code POST /payments-psd2/v1/sepa-payments}, validated as OP documents it:
 * {@code payee{iban,name}}, {@code payer{iban}}, {@code message}, {@code amountEUR} as a string with
 * exactly two decimals, optional {@code authorizationId} and {@code reference}.
 */
record PaymentRequest(String payeeIban, String payeeName, String payerIban, String message, BigDecimal amount,
                      String authorizationId, String reference) {
    private static final Pattern AMOUNT = Pattern.compile("\\d{1,13}\\.\\d{2}");
    static final int PAYEE_NAME_MAX = 70;
    static final int MESSAGE_MAX = 140;
    static final int REFERENCE_MAX = 35;

    static PaymentRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = ApiJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw SandboxError.validation("the request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw SandboxError.validation("the request body must be a JSON object");
        }
        String payeeIban = iban(root.path("payee"), "payee.iban");
        String payeeName = text(root.path("payee"), "name", "payee.name", true, PAYEE_NAME_MAX);
        String payerIban = iban(root.path("payer"), "payer.iban");
        String message = text(root, "message", "message", false, MESSAGE_MAX);
        String reference = text(root, "reference", "reference", false, REFERENCE_MAX);
        String authorizationId = text(root, "authorizationId", "authorizationId", false, 100);
        return new PaymentRequest(payeeIban, payeeName, payerIban, message, amount(root.get("amountEUR")),
                authorizationId, reference);
    }

    private static BigDecimal amount(JsonNode node) {
        if (node == null || node.isNull()) {
            throw SandboxError.validation("amountEUR is missing");
        }
        if (!node.isTextual()) {
            throw SandboxError.validation("amountEUR must be a string with two decimals, e.g. \"4.00\", not a JSON " + node.getNodeType().name().toLowerCase());
        }
        if (!AMOUNT.matcher(node.asText()).matches()) {
            throw SandboxError.validation("amountEUR must have exactly two decimals, e.g. \"4.00\"");
        }
        BigDecimal amount = new BigDecimal(node.asText());
        if (amount.signum() <= 0) {
            throw SandboxError.validation("amountEUR must be greater than zero");
        }
        return amount;
    }

    private static String iban(JsonNode parent, String field) {
        String iban = text(parent, "iban", field, true, 34);
        try {
            IbanUtil.validate(iban);
        } catch (Iban4jException e) {
            throw SandboxError.validation(field + " is not a valid IBAN: " + e.getMessage());
        }
        return iban;
    }

    private static String text(JsonNode parent, String name, String field, boolean required, int max) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw SandboxError.validation(field + " is missing");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw SandboxError.validation(field + " must be a string");
        }
        String value = node.asText();
        if (required && value.isBlank()) {
            throw SandboxError.validation(field + " is empty");
        }
        if (value.length() > max) {
            throw SandboxError.validation(field + " is longer than " + max + " characters");
        }
        return value;
    }
}
