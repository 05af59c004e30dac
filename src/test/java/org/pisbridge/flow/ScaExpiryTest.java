package org.pisbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle whose SCA never came ends EXPIRED, revoked at the bank; when the bank refuses the
 * revocation (a 4xx) it still ends, with the bank's words, instead of asking again for ever.
 */
class ScaExpiryTest {

    @Test
    void aRevocationTheBankRefusesStillEndsTheBundleWithItsWords(@TempDir Path dir) throws Exception {
        try (FlowHarness h = new FlowHarness(dir, Map.of("pis.sca.timeout-seconds", "2"))) {
            h.bank.faults().status("DELETE", "/payments-psd2/v1/authorizations", 400, "authorization cannot be revoked", 1);
            h.singleOrderAwaitingSca("exp-1", "17.00");
            Map<String, Object> end = h.finalEvent("exp-1");
            assertThat(end.get("state")).isEqualTo("EXPIRED");
            assertThat(end.get("reason").toString()).contains("refused to revoke", "authorization cannot be revoked");
            h.bank.state().payments.values().forEach(p -> assertThat(h.bank.bookings(p.paymentId)).isZero());
        }
    }
}
