package org.pisbridge.orders;

/**
 * An order as it arrived, before validation: every field as text, whatever the transport (a JMS
 * message, a line of a CSV file). {@code batchSize} and {@code amountEUR} are still text here.
 * The customer fields are optional (exemption flow headers).
 */
public record OrderInput(String orderId, String batchId, String batchSize, String payerIban, String payeeIban,
                         String payeeName, String amountEUR, String message, String reference, String sca,
                         String customerIpAddress, String customerUserAgent, String customerLastLoggedTime) {

    /** An order without customer fields. */
    public OrderInput(String orderId, String batchId, String batchSize, String payerIban, String payeeIban,
                      String payeeName, String amountEUR, String message, String reference, String sca) {
        this(orderId, batchId, batchSize, payerIban, payeeIban, payeeName, amountEUR, message, reference, sca, null, null, null);
    }
}
