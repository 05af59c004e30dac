package org.pisbridge.orders;

import java.math.BigDecimal;

/** A valid order: IBANs checked, the amount exact with two decimals. */
public record PaymentOrder(String orderId, String batchId, Integer batchSize, String payerIban, String payeeIban,
                           String payeeName, BigDecimal amountEur, String message, String reference, boolean scaAlways) {
}
