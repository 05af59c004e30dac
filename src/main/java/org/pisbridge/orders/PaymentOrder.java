package org.pisbridge.orders;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A valid order: IBANs checked, the amount exact with two decimals. The customer fields, null when
 * not given, are what the exemption flow tells the bank about the customer.
 */
public record PaymentOrder(String orderId, String batchId, Integer batchSize, String payerIban, String payeeIban,
                           String payeeName, BigDecimal amountEur, String message, String reference, boolean scaAlways,
                           String customerIpAddress, String customerUserAgent, Instant customerLastLoggedAt) {

    /** An order without customer fields. */
    public PaymentOrder(String orderId, String batchId, Integer batchSize, String payerIban, String payeeIban,
                        String payeeName, BigDecimal amountEur, String message, String reference, boolean scaAlways) {
        this(orderId, batchId, batchSize, payerIban, payeeIban, payeeName, amountEur, message, reference, scaAlways,
                null, null, null);
    }
}
