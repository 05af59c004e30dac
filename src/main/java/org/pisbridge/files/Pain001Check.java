package org.pisbridge.files;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.ValidatorHandler;
import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The first, whole-file look at a pain.001 before any of it is stored, as a bank takes a file:
 * valid against its official schema (the first error refuses the file, with its line and path),
 * and the group header's NbOfTxs and CtrlSum (and each PmtInf's, when given) matching the
 * transactions. Streamed: memory does not grow with the file.
 */
final class Pain001Check {
    /** What the group header says of the file. */
    record Header(Pain001Version version, String msgId, String creDtTm, int nbOfTxs, BigDecimal ctrlSum) {
    }

    private Pain001Check() {
    }

    static Header check(Path file) throws IOException {
        Pain001Version version = Pain001Version.of(file);
        Reading reading = new Reading();
        try (InputStream in = Files.newInputStream(file)) {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            XMLReader reader = f.newSAXParser().getXMLReader();
            ValidatorHandler validator = version.pain001Schema().newValidatorHandler();
            validator.setErrorHandler(reading);
            validator.setContentHandler(reading);
            reader.setContentHandler(validator);
            reader.setErrorHandler(reading);
            reader.parse(new InputSource(in));
        } catch (SAXParseException e) {
            throw new CsvLayout.UnreadableFile("not valid " + version.pain001 + " at line " + e.getLineNumber() + ", "
                    + reading.path() + ": " + e.getMessage());
        } catch (SAXException | ParserConfigurationException e) {
            throw new CsvLayout.UnreadableFile("not readable as " + version.pain001 + ": " + e.getMessage());
        }
        return reading.header(version);
    }

    /** Follows the path of elements, and counts and sums the transactions against the totals stated. */
    private static final class Reading extends DefaultHandler implements ErrorHandler {
        private final Deque<String> path = new ArrayDeque<>();
        private final Deque<Map<String, Integer>> siblings = new ArrayDeque<>();
        private final StringBuilder text = new StringBuilder();
        private final List<String> mismatches = new ArrayList<>();
        private String msgId;
        private String creDtTm;
        private String nbOfTxs;
        private String ctrlSum;
        private int transactions;
        private BigDecimal sum = BigDecimal.ZERO;
        private int pmtInf;
        private String pmtNbOfTxs;
        private String pmtCtrlSum;
        private int pmtTransactions;
        private BigDecimal pmtSum = BigDecimal.ZERO;

        @Override
        public void startElement(String uri, String local, String qName, Attributes attributes) {
            Map<String, Integer> seen = siblings.isEmpty() ? new HashMap<>() : siblings.peek();
            int n = seen.merge(local, 1, Integer::sum);
            path.push(local.equals("PmtInf") || local.equals("CdtTrfTxInf") ? local + "[" + n + "]" : local);
            siblings.push(new HashMap<>());
            text.setLength(0);
            if (local.equals("PmtInf")) {
                pmtInf = n;
                pmtNbOfTxs = null;
                pmtCtrlSum = null;
                pmtTransactions = 0;
                pmtSum = BigDecimal.ZERO;
            } else if (local.equals("CdtTrfTxInf")) {
                transactions++;
                pmtTransactions++;
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            text.append(ch, start, length);
        }

        @Override
        public void endElement(String uri, String local, String qName) {
            String parent = path.size() > 1 ? parentName() : "";
            String value = text.toString().strip();
            switch (local) {
                case "MsgId" -> msgId = parent.equals("GrpHdr") ? value : msgId;
                case "CreDtTm" -> creDtTm = parent.equals("GrpHdr") ? value : creDtTm;
                case "NbOfTxs" -> {
                    if (parent.equals("GrpHdr")) {
                        nbOfTxs = value;
                    } else {
                        pmtNbOfTxs = value;
                    }
                }
                case "CtrlSum" -> {
                    if (parent.equals("GrpHdr")) {
                        ctrlSum = value;
                    } else {
                        pmtCtrlSum = value;
                    }
                }
                case "InstdAmt" -> {
                    BigDecimal amount = new BigDecimal(value);
                    sum = sum.add(amount);
                    pmtSum = pmtSum.add(amount);
                }
                case "PmtInf" -> compare("PmtInf[" + pmtInf + "]/", pmtNbOfTxs, pmtTransactions, pmtCtrlSum, pmtSum);
                default -> {
                }
            }
            text.setLength(0);
            path.pop();
            siblings.pop();
        }

        private String parentName() {
            var it = path.iterator();
            it.next();
            return it.next().replaceFirst("\\[\\d+]$", "");
        }

        private void compare(String where, String statedCount, int count, String statedSum, BigDecimal actualSum) {
            if (statedCount != null && Integer.parseInt(statedCount) != count) {
                mismatches.add(where + "NbOfTxs is " + statedCount + " but the file has " + count + " transactions");
            }
            if (statedSum != null && new BigDecimal(statedSum).compareTo(actualSum) != 0) {
                mismatches.add(where + "CtrlSum is " + statedSum + " but the transactions' amounts add up to "
                        + actualSum.toPlainString());
            }
        }

        Header header(Pain001Version version) {
            compare("GrpHdr/", nbOfTxs, transactions, ctrlSum, sum);
            if (!mismatches.isEmpty()) {
                throw new CsvLayout.UnreadableFile("the totals do not match the transactions: " + String.join("; ", mismatches));
            }
            return new Header(version, msgId, creDtTm, transactions, ctrlSum == null ? null : new BigDecimal(ctrlSum));
        }

        String path() {
            List<String> names = new ArrayList<>(path);
            java.util.Collections.reverse(names);
            // Document/CstmrCdtTrfInitn/ is the same in every file: the path starts below it, as PmtInf[2]/...
            return names.isEmpty() ? "the document" : String.join("/", names.subList(Math.min(2, names.size() - 1),
                    names.size()));
        }

        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }
}
