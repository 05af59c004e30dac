package org.pisbridge.runtime;

import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Honours a bank's {@code Retry-After} (seconds) on 429 and 503: no call to the bank starts before
 * it is over, up to a ceiling ({@link BankPace}), and the redelivery of any failed call waits for it
 * instead of the back-off's own delay.
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
                pace.told(http.getStatusCode(), Math.min(Long.parseLong(value.strip()), maxSeconds));
            }
        }
        // the redelivery waits out a Retry-After running, this call's or another's: it starts no call
        // before then either. Camel reads the delay from the in message (the failed call's answer is the out).
        long quiet = pace.quietMillisLeft();
        if (quiet > 0) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, quiet);
        } else {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
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
