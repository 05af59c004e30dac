package org.pisbridge.files;

import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.pisbridge.orders.OrderState;
import org.pisbridge.store.BatchFileStore;

/**
 * The status report of a pain.001 file as ISO 20022 pain.002 (.001.03 for a pain.001.001.03,
 * .001.10 for a .001.09): the original message and payment information references, each
 * transaction's status mapped from the order's state and the bank's status, and for a refused
 * one an ISO reason code with our (or the bank's) words. Written with StAX, so every value is
 * escaped by the XML writer.
 */
final class Pain002Report {
    /** ISO statuses from the least to the most advanced; a group is as far as its least advanced transaction. */
    private static final List<String> PROGRESS = List.of("ACTC", "PDNG", "ACCP", "ACSP", "ACSC");
    private static final int ADDITIONAL_INFO = 105;

    private Pain002Report() {
    }

    /**
     * Our state (and the bank's status) as an ISO transaction status: validated and bundled is
     * ACTC, at the bank waiting for the SCA PDNG, authorised ACCP, submitted ACSP (PDNG while the
     * bank says Pending), credited ACSC, and every refusal or failure RJCT.
     */
    static String status(String state, String bankStatus) {
        return switch (OrderState.valueOf(state)) {
            case RECEIVED, EXEMPTION, BUNDLED -> "ACTC";
            case CREATED, AWAITING_SCA -> "PDNG";
            case AUTHORIZED -> "ACCP";
            case SUBMITTED -> "Pending".equals(bankStatus) ? "PDNG" : "ACSP";
            case COMPLETED -> "ACSC";
            case REJECTED, FAILED, EXPIRED, SCA_REJECTED, CANCELLED, REJECTED_INPUT, DUPLICATE -> "RJCT";
        };
    }

    /**
     * The ISO reason code of a refused transaction: AM05 for a duplicate, DS02 (order cancelled)
     * for a cancelled one, intake's own code, else NARR with the words.
     */
    static String reasonCode(String state, String intakeCode) {
        if (OrderState.DUPLICATE.name().equals(state)) {
            return "AM05";
        }
        if (OrderState.CANCELLED.name().equals(state)) {
            return "DS02";
        }
        return OrderState.REJECTED_INPUT.name().equals(state) && intakeCode != null ? intakeCode : "NARR";
    }

    /** A group's status: all the same, PART when some are refused and others not, else its least advanced. */
    static String groupStatus(List<String> statuses) {
        if (statuses.stream().distinct().count() == 1) {
            return statuses.get(0);
        }
        if (statuses.contains("RJCT")) {
            return "PART";
        }
        return statuses.stream().min((a, b) -> PROGRESS.indexOf(a) - PROGRESS.indexOf(b)).orElseThrow();
    }

    static String document(BatchFileStore.PainFile file, Map<Integer, String> paymentInfos,
                           Map<Integer, BatchFileStore.PainTransaction> transactions, List<BatchFileStore.ReportRow> rows,
                           Instant asOf) {
        Pain001Version version = Pain001Version.of(file.version());
        Map<Integer, List<BatchFileStore.ReportRow>> byInfo = new LinkedHashMap<>();
        paymentInfos.keySet().forEach(n -> byInfo.put(n, new ArrayList<>()));
        List<String> all = new ArrayList<>();
        for (BatchFileStore.ReportRow r : rows) {
            byInfo.get(transactions.get(r.line()).pmtInfNo()).add(r);
            all.add(status(r.state(), r.bankStatus()));
        }
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.setDefaultNamespace(version.pain002Namespace());
            x.writeStartElement(version.pain002Namespace(), "Document");
            x.writeDefaultNamespace(version.pain002Namespace());
            x.writeStartElement("CstmrPmtStsRpt");
            x.writeStartElement("GrpHdr");
            // one message id per rewrite of the report, within the 35 characters ISO allows
            text(x, "MsgId", "PISB-" + Long.toString(asOf.toEpochMilli(), 36) + "-" + Integer.toString(
                    Math.abs(file.msgId().hashCode()), 36));
            text(x, "CreDtTm", asOf.truncatedTo(ChronoUnit.MILLIS).toString());
            x.writeEndElement();
            x.writeStartElement("OrgnlGrpInfAndSts");
            text(x, "OrgnlMsgId", file.msgId());
            text(x, "OrgnlMsgNmId", file.version());
            text(x, "OrgnlCreDtTm", file.creDtTm());
            text(x, "OrgnlNbOfTxs", Integer.toString(file.nbOfTxs()));
            if (file.ctrlSum() != null) {
                text(x, "OrgnlCtrlSum", file.ctrlSum());
            }
            text(x, "GrpSts", groupStatus(all));
            x.writeEndElement();
            for (Map.Entry<Integer, List<BatchFileStore.ReportRow>> info : byInfo.entrySet()) {
                x.writeStartElement("OrgnlPmtInfAndSts");
                text(x, "OrgnlPmtInfId", paymentInfos.get(info.getKey()));
                text(x, "OrgnlNbOfTxs", Integer.toString(info.getValue().size()));
                text(x, "PmtInfSts", groupStatus(info.getValue().stream().map(r -> status(r.state(), r.bankStatus())).toList()));
                for (BatchFileStore.ReportRow r : info.getValue()) {
                    transaction(x, transactions.get(r.line()), r);
                }
                x.writeEndElement();
            }
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the pain.002 report could not be written", e);
        }
        return out.toString();
    }

    private static void transaction(XMLStreamWriter x, BatchFileStore.PainTransaction t, BatchFileStore.ReportRow r)
            throws XMLStreamException {
        x.writeStartElement("TxInfAndSts");
        if (t.instrId() != null) {
            text(x, "OrgnlInstrId", t.instrId());
        }
        text(x, "OrgnlEndToEndId", t.endToEndId());
        String status = status(r.state(), r.bankStatus());
        text(x, "TxSts", status);
        if (status.equals("RJCT")) {
            x.writeStartElement("StsRsnInf");
            x.writeStartElement("Rsn");
            text(x, "Cd", reasonCode(r.state(), t.reasonCode()));
            x.writeEndElement();
            for (String part : additionalInfo(r.reason() == null ? r.state() : r.reason())) {
                text(x, "AddtlInf", part);
            }
            x.writeEndElement();
        }
        if (r.paymentId() != null && r.paymentId().length() <= 35) {
            text(x, "AcctSvcrRef", r.paymentId());
        }
        x.writeEndElement();
    }

    /** The words in parts of at most 105 characters, as AddtlInf takes them, broken between words where one can be. */
    static List<String> additionalInfo(String words) {
        List<String> parts = new ArrayList<>();
        String rest = words.strip();
        while (!rest.isEmpty() && parts.size() < 10) {
            int end = rest.length() <= ADDITIONAL_INFO ? rest.length() : rest.lastIndexOf(' ', ADDITIONAL_INFO);
            end = end <= 0 ? Math.min(rest.length(), ADDITIONAL_INFO) : end;
            parts.add(rest.substring(0, end).strip());
            rest = rest.substring(end).strip();
        }
        return parts;
    }

    private static void text(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeStartElement(name);
        x.writeCharacters(value);
        x.writeEndElement();
    }
}
