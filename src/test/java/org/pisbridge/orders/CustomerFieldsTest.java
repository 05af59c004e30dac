package org.pisbridge.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The optional customer fields an order may carry for the exemption flow's customer headers. */
class CustomerFieldsTest {
    private final OrderJson json = new OrderJson();
    private final OrderValidator validator = new OrderValidator();

    private OrderValidator.Result validate(String customer) throws OrderJson.NotAnOrder {
        return validator.validate(json.read("{\"orderId\":\"C1\",\"payer\":{\"iban\":\"FI4950009420028730\"},"
                + "\"payee\":{\"iban\":\"FI9112345600000786\",\"name\":\"N\"},\"amountEUR\":\"5.00\""
                + (customer == null ? "" : ",\"customer\":" + customer) + "}"));
    }

    @Test
    void customerFieldsAreReadAndKept() throws Exception {
        PaymentOrder o = validate("{\"ipAddress\":\"203.0.113.7\",\"userAgent\":\"Mozilla/5.0 (X11)\","
                + "\"lastLoggedTime\":\"2026-11-01T08:05:09+02:00\"}").order();
        assertThat(o.customerIpAddress()).isEqualTo("203.0.113.7");
        assertThat(o.customerUserAgent()).isEqualTo("Mozilla/5.0 (X11)");
        assertThat(o.customerLastLoggedAt()).isEqualTo(Instant.parse("2026-11-01T06:05:09Z"));
        assertThat(validate("{\"ipAddress\":\"2001:db8::1\"}").order().customerIpAddress()).isEqualTo("2001:db8::1");
    }

    @Test
    void customerFieldsAreOptional() throws Exception {
        PaymentOrder o = validate(null).order();
        assertThat(o.customerIpAddress()).isNull();
        assertThat(o.customerUserAgent()).isNull();
        assertThat(o.customerLastLoggedAt()).isNull();
    }

    @Test
    void badCustomerFieldsAreRejectedByName() throws Exception {
        OrderValidator.Result r = validate("{\"ipAddress\":\"300.1.1.1\",\"lastLoggedTime\":\"yesterday\"}");
        assertThat(r.valid()).isFalse();
        assertThat(r.problems()).extracting(InputProblem::toString).anyMatch(p -> p.startsWith("customer.ipAddress"))
                .anyMatch(p -> p.startsWith("customer.lastLoggedTime"));
    }
}
