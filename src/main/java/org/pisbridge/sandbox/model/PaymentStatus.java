package org.pisbridge.sandbox.model;

/**
 * Payment and submission statuses as OP publishes them. A created payment is {@code Unauthorized}
 * until its authorization is approved; a submission moves Accepted/Pending → Submitted → Credited,
 * or ends Rejected / Error.
 */
public enum PaymentStatus {
    Unauthorized, Authorized, Accepted, Pending, Submitted, Credited, Rejected, Error, Deleted;

    public boolean isFinal() {
        return this == Credited || this == Rejected || this == Error || this == Deleted;
    }
}
