package org.pisbridge.orders;

/** What is wrong with one field of an order: the field's name as the ERP wrote it, and why. */
public record InputProblem(String field, String reason) {
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
