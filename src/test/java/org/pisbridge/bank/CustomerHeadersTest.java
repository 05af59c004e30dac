package org.pisbridge.bank;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** x-fapi-customer-last-logged-time is an RFC 7231 date: two-digit day, English names, GMT. */
class CustomerHeadersTest {
    @Test
    void lastLoggedTimeHasTheRfc7231Form() {
        assertThat(ExemptionPayments.IMF_FIXDATE.format(Instant.parse("2026-11-01T07:03:04Z")))
                .isEqualTo("Sun, 01 Nov 2026 07:03:04 GMT");
    }
}
