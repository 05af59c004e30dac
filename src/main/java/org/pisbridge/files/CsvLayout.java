package org.pisbridge.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.pisbridge.orders.InputProblem;
import org.pisbridge.orders.OrderInput;

/**
 * How the ERP writes its batch files: delimiter, decimal separator, charset and which header
 * column holds which field of an order. Reads a file record by record, never whole.
 */
public final class CsvLayout {
    /** The order fields a file can carry; the first five are required columns. */
    static final List<String> FIELDS = List.of("orderId", "payerIban", "payeeIban", "payeeName", "amount", "message",
            "reference");
    private static final int REQUIRED = 5;
    private static final Pattern LINE_BREAK = Pattern.compile("[ \\t]*(\\r\\n|\\r|\\n)[ \\t]*");
    /** The validator's names for the fields, to name a bad field by its column. */
    private static final Map<String, String> VALIDATOR_FIELDS = Map.of("orderId", "orderId", "payer.iban", "payerIban",
            "payee.iban", "payeeIban", "payee.name", "payeeName", "amountEUR", "amount", "message", "message",
            "reference", "reference");

    /** The file cannot be read as a batch file at all (header, charset); the reason says why. */
    public static final class UnreadableFile extends RuntimeException {
        public UnreadableFile(String reason) {
            super(reason);
        }
    }

    private final char delimiter;
    private final char decimalSeparator;
    private final Charset charset;
    private final Map<String, String> columns;

    public CsvLayout(char delimiter, char decimalSeparator, Charset charset, Map<String, String> columns) {
        if (delimiter != ';' && delimiter != ',') {
            throw new IllegalArgumentException("pis.files.delimiter must be ; or ,");
        }
        if (decimalSeparator != '.' && decimalSeparator != ',') {
            throw new IllegalArgumentException("pis.files.decimal-separator must be . or ,");
        }
        this.delimiter = delimiter;
        this.decimalSeparator = decimalSeparator;
        this.charset = charset;
        this.columns = columns;
    }

    /** "field=Header, field=Header" as in pis.files.columns; fields not named keep their own name as header. */
    public static Map<String, String> columns(String mapping) {
        Map<String, String> columns = new LinkedHashMap<>();
        FIELDS.forEach(f -> columns.put(f, f));
        if (mapping != null && !mapping.isBlank()) {
            for (String pair : mapping.split(",")) {
                String[] kv = pair.split("=", 2);
                String field = kv[0].strip();
                if (kv.length != 2 || !FIELDS.contains(field) || kv[1].isBlank()) {
                    throw new IllegalArgumentException("pis.files.columns: '" + pair.strip() + "' is not field=Header with a field of "
                            + FIELDS);
                }
                columns.put(field, kv[1].strip());
            }
        }
        return columns;
    }

    public char delimiter() {
        return delimiter;
    }

    /** Opens the file: a UTF-8 byte-order mark is skipped; the header must name every required column once. */
    public CSVParser open(InputStream in) throws IOException {
        BufferedInputStream bytes = new BufferedInputStream(in, 65536);
        if (charset.equals(StandardCharsets.UTF_8)) {
            bytes.mark(3);
            byte[] bom = bytes.readNBytes(3);
            if (!(bom.length == 3 && (bom[0] & 0xff) == 0xEF && (bom[1] & 0xff) == 0xBB && (bom[2] & 0xff) == 0xBF)) {
                bytes.reset();
            }
        }
        // undecodable bytes become U+FFFD and the line naming them is rejected, not the whole file
        Reader reader = new InputStreamReader(bytes, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
        CSVParser parser;
        try {
            parser = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(false).setAllowMissingColumnNames(true).get().parse(reader);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new UnreadableFile("header row cannot be read: " + e.getMessage());
        }
        List<String> header = parser.getHeaderNames();
        if (header.isEmpty()) {
            throw new UnreadableFile("the file is empty: a header row naming the columns is required");
        }
        List<String> missing = new ArrayList<>();
        for (String field : FIELDS.subList(0, REQUIRED)) {
            if (!header.contains(columns.get(field))) {
                missing.add(columns.get(field));
            }
        }
        if (!missing.isEmpty()) {
            throw new UnreadableFile("header row " + header + " lacks the column(s) " + missing + " (delimiter '" + delimiter
                    + "', charset " + charset.name() + ")");
        }
        return parser;
    }

    /** An order as one record states it, and what is wrong with the record beyond what the validator checks. */
    record Line(OrderInput input, List<InputProblem> problems) {
    }

    /** A blank line: kept by the parser so that line numbers stay physical, and skipped. */
    static boolean blank(CSVRecord record) {
        return record.size() == 1 && record.get(0).isEmpty();
    }

    /**
     * A quoted line break in a name or message is the ERP's layout of a long text: a SEPA remittance
     * (and OP's message) has no line breaks, so each break with the blanks around it becomes one space.
     */
    static String oneLine(String text) {
        return text == null ? null : LINE_BREAK.matcher(text).replaceAll(" ");
    }

    Line line(CSVRecord record, int headerSize) {
        List<InputProblem> problems = new ArrayList<>();
        if (record.size() != headerSize) {
            problems.add(new InputProblem("line", "has " + record.size() + " fields, the header has " + headerSize));
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String column = columns.get(field);
            String value = record.isMapped(column) && record.isSet(column) ? record.get(column) : null;
            if (value != null && value.indexOf('\uFFFD') >= 0) {
                problems.add(new InputProblem(column, "is not valid " + charset.name() + " text"));
            }
            v.put(field, value);
        }
        String amount = v.get("amount");
        if (amount != null && decimalSeparator == ',') {
            if (amount.indexOf('.') >= 0) {
                problems.add(new InputProblem(columns.get("amount"), "must use ',' as decimal separator"));
            }
            amount = amount.replace(',', '.');
        }
        return new Line(new OrderInput(v.get("orderId"), null, null, v.get("payerIban"), v.get("payeeIban"),
                oneLine(v.get("payeeName")), amount, oneLine(v.get("message")), v.get("reference"), null), problems);
    }

    /** The file's column name for a field the validator names. */
    String column(String validatorField) {
        String field = VALIDATOR_FIELDS.get(validatorField);
        return field == null ? validatorField : columns.get(field);
    }
}
