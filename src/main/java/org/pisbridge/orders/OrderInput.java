package org.pisbridge.orders;

/**
 * An order as it arrived, before validation: every field as text, whatever the transport (a JMS
 * message, a line of a CSV file). {@code batchSize} and {@code amountEUR} are still text here.
 */
public record OrderInput(String orderId, String batchId, String batchSize, String payerIban, String payeeIban,
                         String payeeName, String amountEUR, String message, String reference, String sca) {
}
