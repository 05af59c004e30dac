package org.pisbridge.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pisbridge.sandbox.model.SandboxPayment;

/** A payment and a submission as the API shows them, in the field order of OP's documented response. */
final class PaymentView {
    private PaymentView() {
    }

    static ObjectNode payment(SandboxPayment p) {
        ObjectNode body = ApiJson.object()
                .put("paymentId", p.paymentId)
                .put("authorizationId", p.authorizationId)
                .put("status", p.status.name())
                .put("created", ApiJson.timestamp(p.created))
                .put("modified", ApiJson.timestamp(p.modified))
                .put("detailsOfCharges", "SHA")
                .put("paymentOrder", "SEPA")
                .put("count", 1);
        body.putObject("payer").put("iban", p.payerIban);
        if (p.message != null) {
            body.put("message", p.message);
        }
        body.put("paymentType", "SepaPayment");
        body.putObject("payee").put("name", p.payeeName).put("iban", p.payeeIban);
        body.put("amountEUR", p.amountEUR.toPlainString());
        if (p.reference != null) {
            body.put("reference", p.reference);
        }
        if (p.rejectionReason != null) {
            body.put("reason", p.rejectionReason);
        }
        return body;
    }

    static ObjectNode submission(SandboxPayment p) {
        ObjectNode body = ApiJson.object()
                .put("paymentId", p.paymentId)
                .put("submissionId", p.submissionId)
                .put("status", p.status.name())
                .put("modified", ApiJson.timestamp(p.modified));
        if (p.rejectionReason != null) {
            body.put("reason", p.rejectionReason);
        }
        return body;
    }
}
