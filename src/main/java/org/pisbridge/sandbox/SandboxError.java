package org.pisbridge.sandbox;

/**
 * A refusal the bank answers with OP's error body
 * {@code {"type": "SECURITY|VALIDATION|TECHNICAL|BUSINESS", "message": "...", "id": "..."}}
 * (OAuth endpoints answer RFC 6749 {@code {"error": ..., "error_description": ...}} instead).
 */
public class SandboxError extends RuntimeException {
    public enum Type { SECURITY, VALIDATION, TECHNICAL, BUSINESS }

    private final int httpStatus;
    private final Type type;
    /** OP's violation code, e.g. DuplicatePayment, IllegalState, InsufficientFunds; may be null. */
    private final String violation;

    public SandboxError(int httpStatus, Type type, String violation, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.type = type;
        this.violation = violation;
    }

    public static SandboxError security(String message) {
        return new SandboxError(401, Type.SECURITY, null, message);
    }

    public static SandboxError validation(String message) {
        return new SandboxError(400, Type.VALIDATION, null, message);
    }

    public static SandboxError business(String violation, String message) {
        return new SandboxError(409, Type.BUSINESS, violation, message);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Type type() {
        return type;
    }

    public String violation() {
        return violation;
    }
}
