package org.pisbridge.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Every call the routes make to the bank (the runtime's only HTTP client endpoints), as the
 * {@code pis_bank_calls_seconds} histogram by endpoint (the path, identifiers replaced by {id}) and
 * outcome (the HTTP status, or {@code no_answer}), and every retry as {@code pis_bank_retries_total}.
 * Measured from Camel's exchange events, so the routes stay as they are.
 */
final class BankCallMetrics extends EventNotifierSupport {
    private static final String PATH = "pisBankCallPath";
    /**
     * A path segment that is a word (sepa-payments, payments-psd2, v1, oauth) stays; anything else
     * (a UUID, a random id) is an identifier, so the series stay few.
     */
    private static final Pattern WORD = Pattern.compile("[a-z]+(-[a-z]+\\d?)*|v\\d+");

    private final MeterRegistry registry;
    private final Counter retries;
    /** The timer of each series, made once: registering looks the meter up by its sorted tags, at every call. */
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    BankCallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.retries = Counter.builder("pis.bank.retries").description("Bank calls tried again (5xx, 429, time-out, dropped)")
                .register(registry);
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSendingEvent sending && isBank(sending.getEndpoint().getEndpointUri())) {
            sending.getExchange().setProperty(PATH, endpoint(sending.getExchange().getMessage().getHeader(Exchange.HTTP_PATH, String.class)));
        } else if (event instanceof CamelEvent.ExchangeSentEvent sent && isBank(sent.getEndpoint().getEndpointUri())) {
            Exchange exchange = sent.getExchange();
            String endpoint = String.valueOf(exchange.getProperty(PATH, "/", String.class));
            String outcome = outcome(exchange);
            timers.computeIfAbsent(endpoint + ' ' + outcome, series -> Timer.builder("pis.bank.calls")
                            .description("Calls to the bank by endpoint and outcome")
                            .tag("endpoint", endpoint)
                            .tag("outcome", outcome)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(5))
                            .maximumExpectedValue(Duration.ofSeconds(60))
                            .register(registry))
                    .record(Duration.ofMillis(sent.getTimeTaken()));
        } else if (event instanceof CamelEvent.ExchangeRedeliveryEvent) {
            retries.increment();
        }
    }

    private static boolean isBank(String uri) {
        return uri.startsWith("https:") || uri.startsWith("http:");
    }

    static String endpoint(String path) {
        if (path == null || path.isBlank()) {
            return "/";
        }
        StringBuilder b = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                b.append('/').append(WORD.matcher(segment).matches() ? segment : "{id}");
            }
        }
        return b.length() == 0 ? "/" : b.toString();
    }

    private static String outcome(Exchange exchange) {
        Exception failure = exchange.getException();
        if (failure instanceof HttpOperationFailedException http) {
            return String.valueOf(http.getStatusCode());
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return failure == null && status != null ? String.valueOf(status) : "no_answer";
    }
}
