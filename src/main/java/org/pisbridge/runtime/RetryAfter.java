package org.pisbridge.runtime;

import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Honours a bank's {@code Retry-After} (seconds) on 429 and 503: the next redelivery waits that
 * long instead of the back-off's own delay, up to a ceiling, and no other call to the bank starts
 * before then ({@link BankPace}).
 */
public final class RetryAfter implements Processor {
    private final int maxSeconds;
    private final BankPace pace;

    public RetryAfter(int maxSeconds, BankPace pace) {
        this.maxSeconds = maxSeconds;
        this.pace = pace;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable t = failure(exchange);
        if (t instanceof HttpOperationFailedException http && http.getResponseHeaders() != null) {
            String value = header(http.getResponseHeaders(), "Retry-After");
            if (value != null && value.strip().matches("\\d{1,6}")) {
                long seconds = Math.min(Long.parseLong(value.strip()), maxSeconds);
                exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, seconds * 1000);
                pace.told(http.getStatusCode(), seconds);
            }
        }
    }

    /** The call's failure: this attempt's first, as the caught-exception property may still hold an earlier attempt's. */
    static Throwable failure(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
