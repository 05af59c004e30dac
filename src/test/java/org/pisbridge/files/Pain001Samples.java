package org.pisbridge.files;

import java.math.BigDecimal;
import java.util.List;

/**
 * pain.001 files as treasury systems write them, for the tests: .001.03 or .001.09, any number of
 * payment information blocks, both remittance kinds. Built as text on purpose: a test file is
 * what an ERP sends, byte for byte, including what a binding library would refuse to write.
 */
public final class Pain001Samples {
    /** A credit transfer; {@code reference} is a structured creditor reference (RF or Finnish), {@code message} unstructured. */
    public record Tx(String endToEndId, String instrId, String amount, String currency, String name, String iban, String message,
                     String reference) {
        public static Tx eur(String endToEndId, String amount, String name, String iban) {
            return new Tx(endToEndId, null, amount, "EUR", name, iban, null, null);
        }

        public Tx message(String m) {
            return new Tx(endToEndId, instrId, amount, currency, name, iban, m, reference);
        }

        public Tx reference(String r) {
            return new Tx(endToEndId, instrId, amount, currency, name, iban, message, r);
        }

        public Tx currency(String c) {
            return new Tx(endToEndId, instrId, amount, c, name, iban, message, reference);
        }

        public Tx instrId(String i) {
            return new Tx(endToEndId, i, amount, currency, name, iban, message, reference);
        }
    }

    /** A payment information block: one debtor account and its transfers. */
    public record PmtInf(String id, String debtorName, String debtorIban, String executionDate, List<Tx> txs) {
        public PmtInf(String id, String debtorName, String debtorIban, List<Tx> txs) {
            this(id, debtorName, debtorIban, "2026-01-02", txs);
        }
    }

    private Pain001Samples() {
    }

    public static BigDecimal sum(List<PmtInf> infos) {
        return infos.stream().flatMap(i -> i.txs().stream()).map(t -> new BigDecimal(t.amount()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public static String file(String version, String msgId, List<PmtInf> infos) {
        int count = infos.stream().mapToInt(i -> i.txs().size()).sum();
        return file(version, msgId, infos, count, sum(infos).toPlainString());
    }

    /** {@code version} "03" or "09"; the group header's NbOfTxs and CtrlSum as given (to test a wrong one). */
    public static String file(String version, String msgId, List<PmtInf> infos, int nbOfTxs, String ctrlSum) {
        boolean v09 = version.equals("09");
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.").append(version).append("\">\n")
                .append("  <CstmrCdtTrfInitn>\n    <GrpHdr>\n")
                .append("      <MsgId>").append(msgId).append("</MsgId>\n")
                .append("      <CreDtTm>2026-11-30T09:30:00</CreDtTm>\n")
                .append("      <NbOfTxs>").append(nbOfTxs).append("</NbOfTxs>\n")
                .append("      <CtrlSum>").append(ctrlSum).append("</CtrlSum>\n")
                .append("      <InitgPty><Nm>Äijälä Group Treasury</Nm></InitgPty>\n    </GrpHdr>\n");
        for (PmtInf p : infos) {
            x.append("    <PmtInf>\n      <PmtInfId>").append(p.id()).append("</PmtInfId>\n      <PmtMtd>TRF</PmtMtd>\n")
                    .append("      <NbOfTxs>").append(p.txs().size()).append("</NbOfTxs>\n")
                    .append("      <CtrlSum>").append(sum(List.of(p)).toPlainString()).append("</CtrlSum>\n")
                    .append("      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>\n")
                    .append(v09 ? "      <ReqdExctnDt><Dt>" + p.executionDate() + "</Dt></ReqdExctnDt>\n"
                            : "      <ReqdExctnDt>" + p.executionDate() + "</ReqdExctnDt>\n")
                    .append("      <Dbtr><Nm>").append(p.debtorName()).append("</Nm></Dbtr>\n")
                    .append("      <DbtrAcct><Id><IBAN>").append(p.debtorIban()).append("</IBAN></Id></DbtrAcct>\n")
                    .append("      <DbtrAgt><FinInstnId><").append(v09 ? "BICFI" : "BIC").append(">OKOYFIHH</")
                    .append(v09 ? "BICFI" : "BIC").append("></FinInstnId></DbtrAgt>\n")
                    .append("      <ChrgBr>SLEV</ChrgBr>\n");
            for (Tx t : p.txs()) {
                x.append("      <CdtTrfTxInf>\n        <PmtId>");
                if (t.instrId() != null) {
                    x.append("<InstrId>").append(t.instrId()).append("</InstrId>");
                }
                x.append("<EndToEndId>").append(t.endToEndId()).append("</EndToEndId></PmtId>\n")
                        .append("        <Amt><InstdAmt Ccy=\"").append(t.currency()).append("\">").append(t.amount())
                        .append("</InstdAmt></Amt>\n")
                        .append("        <Cdtr><Nm>").append(t.name()).append("</Nm></Cdtr>\n")
                        .append("        <CdtrAcct><Id><IBAN>").append(t.iban()).append("</IBAN></Id></CdtrAcct>\n");
                if (t.message() != null || t.reference() != null) {
                    x.append("        <RmtInf>");
                    if (t.message() != null) {
                        x.append("<Ustrd>").append(t.message()).append("</Ustrd>");
                    }
                    if (t.reference() != null) {
                        x.append("<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>").append(t.reference())
                                .append("</Ref></CdtrRefInf></Strd>");
                    }
                    x.append("</RmtInf>\n");
                }
                x.append("      </CdtTrfTxInf>\n");
            }
            x.append("    </PmtInf>\n");
        }
        x.append("  </CstmrCdtTrfInitn>\n</Document>\n");
        return x.toString();
    }
}
