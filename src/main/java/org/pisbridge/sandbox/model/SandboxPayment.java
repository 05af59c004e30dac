package org.pisbridge.sandbox.model;

import java.math.BigDecimal;
import java.time.Instant;

/** A SEPA payment as the bank holds it, with the request body it was created from. */
public final class SandboxPayment {
    public String paymentId;
    public String authorizationId;
    public String clientId;
    public String idempotencyKey;
    /** SHA-256 of the exact request body, to tell a replay from a different body under the same key. */
    public String requestHash;
    public String payerIban;
    public String payeeIban;
    public String payeeName;
    public BigDecimal amountEUR;
    public String message;
    public String reference;
    public PaymentStatus status = PaymentStatus.Unauthorized;
    public String submissionId;
    /** Status reads since the last status change; drives Pending → Submitted → Credited. */
    public int statusReads;
    public String rejectionReason;
    public Instant created;
    public Instant modified;
}
