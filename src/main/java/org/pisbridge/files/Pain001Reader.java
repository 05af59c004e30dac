package org.pisbridge.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a checked pain.001 transaction by transaction with StAX: each PmtInf's own fields (the
 * debtor's account, the requested execution date) and each CdtTrfTxInf as the values PIS Bridge
 * uses, by their path below the element ("CdtrAcct/Id/IBAN", "Amt/InstdAmt@Ccy"). The paths are
 * the same in pain.001.001.03 and .09, so one reader serves both; only one transaction is in
 * memory at a time.
 */
final class Pain001Reader implements AutoCloseable {
    /** A payment information block: one debtor account, one bundle, one SCA. */
    record PaymentInfo(int number, Map<String, String> fields) {
        String id() {
            return fields.get("PmtInfId");
        }

        String where() {
            return "PmtInf[" + number + "]";
        }
    }

    /** A credit transfer: {@code line} is its number in the file (1 for the first), {@code number} within its PmtInf. */
    record Transaction(PaymentInfo info, int line, int number, Map<String, String> fields) {
        String where() {
            return info.where() + "/CdtTrfTxInf[" + number + "]";
        }
    }

    private final InputStream in;
    private final XMLStreamReader xml;
    private PaymentInfo info;
    private int paymentInfos;
    private int line;
    private int inInfo;

    Pain001Reader(Path file) throws IOException {
        this.in = Files.newInputStream(file);
        try {
            this.xml = Pain001Version.safeFactory().createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            in.close();
            throw new IOException(e);
        }
    }

    /** The next transaction, or null at the end of the file. */
    Transaction next() throws IOException {
        try {
            Map<String, String> header = null;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String name = xml.getLocalName();
                if (name.equals("PmtInf")) {
                    header = new HashMap<>();
                    paymentInfos++;
                    inInfo = 0;
                } else if (name.equals("CdtTrfTxInf")) {
                    if (header != null) {
                        info = new PaymentInfo(paymentInfos, header);
                    }
                    line++;
                    inInfo++;
                    return new Transaction(info, line, inInfo, subtree());
                } else if (header != null) {
                    // a field of the PmtInf itself, read whole: the transactions come after all of them
                    header.putAll(prefixed(name, subtree()));
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw new IOException("the file could not be read on: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> prefixed(String name, Map<String, String> values) {
        Map<String, String> out = new HashMap<>();
        values.forEach((k, v) -> out.put(k.isEmpty() ? name : k.startsWith("@") ? name + k : name + "/" + k, v));
        return out;
    }

    /**
     * The text of every element below the current one by its relative path ("" for the element's own
     * text, "@attr" for its attributes); repeated elements (several Ustrd lines) joined by a space.
     */
    private Map<String, String> subtree() throws XMLStreamException {
        Map<String, String> values = new HashMap<>();
        StringBuilder path = new StringBuilder();
        StringBuilder text = new StringBuilder();
        attributes(values, "");
        int depth = 0;
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (depth > 0 || !path.isEmpty()) {
                        path.append('/');
                    }
                    path.append(xml.getLocalName());
                    depth++;
                    text.setLength(0);
                    attributes(values, path.toString());
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> text.append(xml.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    String value = text.toString().strip();
                    String key = path.toString();
                    if (!value.isEmpty()) {
                        values.merge(key, value, (a, b) -> a + " " + b);
                    }
                    text.setLength(0);
                    if (depth == 0) {
                        return values;
                    }
                    depth--;
                    int slash = path.lastIndexOf("/");
                    path.setLength(Math.max(slash, 0));
                }
                default -> {
                }
            }
        }
    }

    private void attributes(Map<String, String> values, String path) {
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            values.put(path + "@" + xml.getAttributeLocalName(i), xml.getAttributeValue(i));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            xml.close();
        } catch (XMLStreamException e) {
            // the stream below is closed anyway
        } finally {
            in.close();
        }
    }
}
