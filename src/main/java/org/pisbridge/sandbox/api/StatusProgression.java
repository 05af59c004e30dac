package org.pisbridge.sandbox.api;

import org.pisbridge.sandbox.SandboxContext;
import org.pisbridge.sandbox.model.PaymentStatus;
import org.pisbridge.sandbox.model.SandboxPayment;

/**
 * How a submitted payment moves on: every status read counts, and after
 * {@code settings.statusReadsPerStep()} reads it goes Pending → Submitted → Credited, or ends Rejected
 * (InsufficientFunds) when its amount is above {@code settings.rejectAbove()}. Reads drive it rather
 * than time, so tests are deterministic.
 */
final class StatusProgression {
    private final SandboxContext ctx;

    StatusProgression(SandboxContext ctx) {
        this.ctx = ctx;
    }

    /** Counts one status read of {@code p}; the caller shows the status as it is afterwards. */
    void read(SandboxPayment p) {
        synchronized (p) {
            if (p.submissionId == null || p.status.isFinal()) {
                return;
            }
            if (++p.statusReads < ctx.settings().statusReadsPerStep()) {
                return;
            }
            p.statusReads = 0;
            p.status = next(p);
            if (p.status == PaymentStatus.Rejected) {
                p.rejectionReason = "InsufficientFunds";
            }
            p.modified = ctx.clock().instant();
            ctx.state().save(p);
        }
    }

    private PaymentStatus next(SandboxPayment p) {
        return switch (p.status) {
            case Accepted, Pending -> PaymentStatus.Submitted;
            default -> p.amountEUR.compareTo(ctx.settings().rejectAbove()) > 0 ? PaymentStatus.Rejected : PaymentStatus.Credited;
        };
    }
}
