package org.pisbridge.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.iban4j.IbanFormatException;
import org.iban4j.IbanUtil;
import org.iban4j.InvalidCheckDigitException;
import org.iban4j.UnsupportedCountryException;

/**
 * Checks an order before anything is stored: required fields, IBAN checksums, an amount > 0 with
 * at most two decimals, and the lengths the bank accepts (payee name 70, message 140, reference
 * 35, as SEPA credit transfers allow). Every problem is reported, not only the first.
 */
public final class OrderValidator {
    public static final int MAX_ORDER_ID = 64;
    public static final int MAX_BATCH_ID = 200;
    public static final int MAX_PAYEE_NAME = 70;
    public static final int MAX_MESSAGE = 140;
    public static final int MAX_REFERENCE = 35;
    public static final int MAX_USER_AGENT = 500;
    private static final java.util.regex.Pattern IP_ADDRESS = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)|[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}");

    /** Either a valid order or the problems that keep it from being one. */
    public record Result(PaymentOrder order, List<InputProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public Result validate(OrderInput in) {
        List<InputProblem> problems = new ArrayList<>();
        String orderId = text(in.orderId(), "orderId", MAX_ORDER_ID, true, problems);
        String batchId = text(in.batchId(), "batchId", MAX_BATCH_ID, false, problems);
        Integer batchSize = batchSize(in.batchSize(), problems);
        String payer = iban(in.payerIban(), "payer.iban", problems);
        String payee = iban(in.payeeIban(), "payee.iban", problems);
        String name = text(in.payeeName(), "payee.name", MAX_PAYEE_NAME, true, problems);
        BigDecimal amount = amount(in.amountEUR(), problems);
        String message = text(in.message(), "message", MAX_MESSAGE, false, problems);
        String reference = text(in.reference(), "reference", MAX_REFERENCE, false, problems);
        boolean scaAlways = false;
        if (in.sca() != null && !in.sca().isBlank()) {
            switch (in.sca().trim().toLowerCase(Locale.ROOT)) {
                case "always" -> scaAlways = true;
                case "auto" -> scaAlways = false;
                default -> problems.add(new InputProblem("sca", "must be \"always\" or \"auto\""));
            }
        }
        String ipAddress = text(in.customerIpAddress(), "customer.ipAddress", 45, false, problems);
        if (ipAddress != null && !IP_ADDRESS.matcher(ipAddress).matches()) {
            problems.add(new InputProblem("customer.ipAddress", "is not an IPv4 or IPv6 address"));
        }
        String userAgent = text(in.customerUserAgent(), "customer.userAgent", MAX_USER_AGENT, false, problems);
        Instant lastLogged = instant(in.customerLastLoggedTime(), "customer.lastLoggedTime", problems);
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        return new Result(new PaymentOrder(orderId, batchId, batchSize, payer, payee, name, amount, message, reference,
                scaAlways, ipAddress, userAgent, lastLogged), List.of());
    }

    private static String text(String value, String field, int max, boolean required, List<InputProblem> problems) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(new InputProblem(field, "is required"));
            }
            return null;
        }
        String v = value.strip();
        if (v.codePointCount(0, v.length()) > max) {
            problems.add(new InputProblem(field, "is longer than " + max + " characters"));
        } else if (v.chars().anyMatch(Character::isISOControl)) {
            problems.add(new InputProblem(field, "contains control characters"));
        }
        return v;
    }

    private static Instant instant(String value, String field, List<InputProblem> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(new InputProblem(field, "is not an ISO-8601 date and time with offset (2026-11-21T10:00:00Z)"));
            return null;
        }
    }

    private static Integer batchSize(String value, List<InputProblem> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 1) {
                problems.add(new InputProblem("batchSize", "must be 1 or more"));
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(new InputProblem("batchSize", "is not a whole number"));
            return null;
        }
    }

    /** The IBAN without spaces, in capitals; null with the problem added when it is missing or not valid. */
    public static String iban(String value, String field, List<InputProblem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(new InputProblem(field, "is required"));
            return null;
        }
        String iban = value.replace(" ", "").toUpperCase(Locale.ROOT);
        try {
            IbanUtil.validate(iban);
            return iban;
        } catch (InvalidCheckDigitException e) {
            problems.add(new InputProblem(field, "IBAN checksum is wrong"));
        } catch (IbanFormatException | UnsupportedCountryException e) {
            problems.add(new InputProblem(field, "is not a valid IBAN"));
        }
        return null;
    }

    private static BigDecimal amount(String value, List<InputProblem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(new InputProblem("amountEUR", "is required"));
            return null;
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            problems.add(new InputProblem("amountEUR", "is not a number"));
            return null;
        }
        if (amount.signum() <= 0) {
            problems.add(new InputProblem("amountEUR", "must be greater than 0"));
            return null;
        }
        if (amount.stripTrailingZeros().scale() > 2) {
            problems.add(new InputProblem("amountEUR", "has more than two decimals"));
            return null;
        }
        if (amount.compareTo(new BigDecimal("999999999.99")) > 0) {
            problems.add(new InputProblem("amountEUR", "is larger than 999999999.99"));
            return null;
        }
        return amount.setScale(2);
    }
}
