package org.pisbridge.runtime;

import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.spi.Registry;
import org.pisbridge.bank.BankCalls;
import org.pisbridge.bank.AccessRenewal;
import org.pisbridge.bank.AuthorizationReview;
import org.pisbridge.bank.BankConnection;
import org.pisbridge.bank.BundleRounds;
import org.pisbridge.bank.BankSettings;
import org.pisbridge.bank.ExemptionPayments;
import org.pisbridge.bank.PaymentCreation;
import org.pisbridge.bank.PaymentSubmission;
import org.pisbridge.bank.PaymentTracking;
import org.pisbridge.bank.BankError;
import org.pisbridge.bank.ClientTokenRenewal;
import org.pisbridge.bank.RefreshTokenGrant;
import org.pisbridge.bank.RetrySchedule;
import org.pisbridge.bank.Resubmission;
import org.pisbridge.bank.AuthorizationCheck;
import org.pisbridge.bank.ScaWithdrawal;
import org.pisbridge.bank.SignedResponses;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.pisbridge.files.CsvLayout;
import org.pisbridge.files.FileIntake;
import org.pisbridge.files.FileReports;
import org.pisbridge.files.InboxReader;
import org.pisbridge.oauth.ClientAuthentication;
import org.pisbridge.oauth.ClientCredentials;
import org.pisbridge.oauth.GrantExpiry;
import org.pisbridge.oauth.GrantRevocation;
import org.pisbridge.oauth.IdTokenRules;
import org.pisbridge.oauth.IdTokenValidator;
import org.pisbridge.oauth.RequestObjects;
import org.pisbridge.oauth.ScaCompletion;
import org.pisbridge.oauth.ScaRequests;
import org.pisbridge.oauth.TokenCipher;
import org.pisbridge.orders.BundleClosing;
import org.pisbridge.orders.OrderIntake;
import org.pisbridge.orders.OrderReceiver;
import org.pisbridge.orders.OrderReceivers;
import org.pisbridge.orders.StatusPublishing;
import org.pisbridge.store.BatchFileStore;
import org.pisbridge.store.ExemptionRules;
import org.pisbridge.store.OrderStore;
import org.pisbridge.store.PayerGrants;
import org.pisbridge.store.CreationStore;
import org.pisbridge.store.ExemptionStore;
import org.pisbridge.store.OrderRecords;
import org.pisbridge.store.Reinitiation;
import org.pisbridge.store.ScaAttempts;
import org.pisbridge.store.ScaStore;
import org.pisbridge.store.SubmissionStore;
import org.pisbridge.store.TrackingStore;
import org.pisbridge.store.Transactions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.pisbridge.store.ConsoleQueries;
import org.pisbridge.store.OrderHistory;
import org.pisbridge.web.ConsolePages;
import org.pisbridge.web.ConsoleSessions;
import org.pisbridge.web.HealthReport;
import org.pisbridge.web.OperatorAccess;
import org.pisbridge.web.OperatorLogins;
import org.pisbridge.web.OperatorMetrics;
import org.pisbridge.web.ResponseHeaders;
import org.pisbridge.web.ScaCallback;
import org.pisbridge.web.ScaReminder;
import org.pisbridge.web.ScaLink;

/**
 * Binds the beans the flow's routes ({@code routes/*.camel.yaml}) call, each under the name the
 * routes use.
 */
final class FlowBeans {
    private FlowBeans() {
    }

    /** The configured IBANs, written as people write them (spaces, lower case) or as the orders carry them. */
    private static Set<String> ownAccounts(String list) {
        return java.util.Arrays.stream(list.split(",")).map(iban -> iban.replace(" ", "").toUpperCase(java.util.Locale.ROOT))
                .filter(iban -> !iban.isEmpty()).collect(java.util.stream.Collectors.toSet());
    }

    static void bind(CamelContext context, RuntimeSettings s, DataSource dataSource, ConnectionFactory producers) {
        Registry r = context.getRegistry();
        Clock clock = Clock.systemUTC();
        Transactions tx = new Transactions(dataSource);
        OrderRecords records = new OrderRecords(tx, clock,
                Duration.ofSeconds(s.integer("pis.flow.attention-after-seconds", 3600)));
        ScaStore scaStore = new ScaStore(records);
        ScaAttempts scaAttempts = new ScaAttempts(records);
        SubmissionStore submissions = new SubmissionStore(records);
        Reinitiation reinitiation = new Reinitiation(records);
        RetrySchedule retries = new RetrySchedule(Duration.ofSeconds(s.integer("pis.flow.retry-first-seconds", 2)),
                Duration.ofSeconds(s.integer("pis.flow.retry-max-seconds", 300)), clock);
        BankConnection bank = new BankConnection(BankSettings.from(s), context);
        // a missing or unusable file, an expired certificate or a doubtful audience is named now, not at the first payment
        bank.check();
        bank.credentials().requireRegistered(bank.settings().credentialsFile());
        BankCalls calls = new BankCalls(context.createProducerTemplate());
        ClientAuthentication authentication = new ClientAuthentication(bank);
        SignedResponses responses = new SignedResponses(bank);
        ClientCredentials token = new ClientCredentials(calls, bank, clock);
        TokenCipher cipher = TokenCipher.fromKeyFile(s.path("pis.tokens.key-file", "data/keys/token-encryption.key"));
        String responseType = s.string("pis.bank.response-type", "code id_token");
        RequestObjects requestObjects = new RequestObjects(bank, responseType, clock);
        String callbackPath = java.net.URI.create(bank.settings().redirectUri()).getPath();

        PayerGrants grants = new PayerGrants(tx);
        OrderStore orders = new OrderStore(tx, clock, new ExemptionRules(s.flag("pis.exemption.enabled", true),
                ownAccounts(s.string("pis.exemption.own-accounts", ""))));
        String deadLetterQueue = s.string("pis.orders.dead-letter-queue", "pis.orders.DLQ");
        r.bind("orderIntake", new OrderIntake(orders, s.integer("pis.orders.max-attempts", 3), deadLetterQueue));
        int receivers = s.integer("pis.orders.concurrent-consumers", 4);
        ConnectionFactory consumers = r.lookupByNameAndType("jmsConnectionFactory", ConnectionFactory.class);
        OrderReceivers orderReceivers = new OrderReceivers(java.util.stream.IntStream.range(0, receivers)
                .mapToObj(i -> new OrderReceiver(consumers, s.string("pis.orders.queue", "pis.orders"), deadLetterQueue,
                        s.integer("pis.orders.batch-size", 500), Duration.ofSeconds(1),
                        Duration.ofMillis(s.integer("pis.orders.batch-wait-ms", 20)),
                        Duration.ofMillis(s.integer("pis.orders.retry-delay-ms", 1000)), clock))
                .toList());
        r.bind("orderReceivers", orderReceivers);
        try {
            // stopped with the context, after the routes: their JMS connections close
            context.addService(orderReceivers);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        r.bind("orderReceiverThreads", context.getExecutorServiceManager().newFixedThreadPool(FlowBeans.class,
                "order-receivers", receivers));
        r.bind("bundleClosing", new BundleClosing(orders,
                Duration.ofMillis(s.integer("pis.bundles.quiet-period-ms", 10_000)),
                Duration.ofMillis(s.integer("pis.bundles.declared-batch-max-wait-ms", 600_000)),
                Duration.ofMillis(s.integer("pis.bundles.window-ms", 5_000))));
        bindFiles(r, s, dataSource, orders, new BatchFileStore(tx, clock), clock);
        r.bind("statusPublishing", new StatusPublishing(tx, new OrderHistory(tx, clock), producers, s.string("pis.status.queue", "pis.status"),
                s.string("pis.sca.queue", "pis.sca"), 500));
        r.bind("transactions", tx);
        r.bind("bundleRounds", new BundleRounds());
        // the threads of the creations and submissions, and apart those of the status reads, so that a page of
        // reads does not queue behind a wave of submissions but takes turns with it at bankPace, which bounds the
        // calls in flight of every stage together
        r.bind("bankCallThreads", context.getExecutorServiceManager().newFixedThreadPool(FlowBeans.class, "bank-calls",
                s.integer("pis.bank.max-in-flight", 16)));
        r.bind("statusReadThreads", context.getExecutorServiceManager().newFixedThreadPool(FlowBeans.class, "status-reads",
                s.integer("pis.bank.max-in-flight", 16)));
        r.bind("orderRecords", records);
        r.bind("bankConnection", bank);
        r.bind("bankTls", bank.tlsParameters());
        BankPace pace = new BankPace(s.integer("pis.bank.max-in-flight", 16), clock);
        r.bind("bankPace", pace);
        r.bind("retryAfter", new RetryAfter(s.integer("pis.bank.max-retry-after-seconds", 60), pace));
        r.bind("sendAgainNow", (Predicate) BankError::sendAgainNow);
        r.bind("sendGrantAgainNow", (Predicate) BankError::sendGrantAgainNow);
        r.bind("clientCredentials", token);
        r.bind("clientTokenRenewal", new ClientTokenRenewal(token));
        CreationStore creations = new CreationStore(records);
        r.bind("creations", creations);
        r.bind("paymentCreation", new PaymentCreation(records, creations, token, bank, responses, retries));
        r.bind("authorizationReview", new AuthorizationReview(records, creations, token, bank, responses));
        r.bind("scaRequests", new ScaRequests(scaStore, s.required("pis.http.public-url"),
                Duration.ofSeconds(s.integer("pis.sca.timeout-seconds", 3600)), clock));
        r.bind("scaLink", new ScaLink(scaStore, scaAttempts, requestObjects, bank.settings().redirectUri(),
                Duration.ofSeconds(s.integer("pis.sca.attempt-timeout-seconds", 900))));
        r.bind("grantRevocation", new GrantRevocation(grants, cipher, calls, authentication));
        Duration exchangeLostAfter = Duration.ofSeconds(s.integer("pis.sca.exchange-lost-after-seconds", 300));
        ScaCompletion completion = new ScaCompletion(scaStore, scaAttempts, grants, calls,
                new IdTokenValidator(bank, IdTokenRules.from(s), clock), cipher, bank, responseType, clock,
                exchangeLostAfter, CrashPoints.of(s.names("pis.test.crash-at")));
        r.bind("scaCompletion", completion);
        r.bind("scaCallback", new ScaCallback(scaStore, scaAttempts, completion, callbackPath, clock, bank::requestObjectHint,
                s.names("pis.sca.errors-ending-bundle")));
        r.bind("authorizationCheck", new AuthorizationCheck(scaStore, token, bank, responses, exchangeLostAfter, clock));
        RefreshTokenGrant refresh = new RefreshTokenGrant(calls, authentication, cipher, grants, clock);
        r.bind("paymentSubmission", new PaymentSubmission(records, submissions,
                new AccessRenewal(records, submissions, refresh, cipher, clock), reinitiation, token, cipher, bank, responses,
                retries, Duration.ofSeconds(s.integer("pis.track.first-interval-seconds", 1))));
        r.bind("submissions", submissions);
        r.bind("paymentTracking", new PaymentTracking(new TrackingStore(records), token, bank, responses,
                Set.of(s.string("pis.track.completed-statuses", "Credited").split("\\s*,\\s*")),
                Duration.ofSeconds(s.integer("pis.track.first-interval-seconds", 1)),
                Duration.ofSeconds(s.integer("pis.track.max-interval-seconds", 60)), clock));
        r.bind("scaWithdrawal", new ScaWithdrawal(scaStore, reinitiation, token, bank));
        r.bind("resubmission", new Resubmission(records, reinitiation, token, bank, responses));
        ExemptionStore exemptions = new ExemptionStore(records);
        r.bind("exemptions", exemptions);
        r.bind("exemptionPayments", new ExemptionPayments(records, exemptions, orders, grants, refresh, calls, requestObjects,
                cipher, bank, authentication, responses, s.string("pis.exemption.customer-ip-address", "127.0.0.1"),
                s.string("pis.exemption.customer-user-agent", "PIS Bridge"), retries));
        r.bind("grantExpiry", new GrantExpiry(grants,
                Duration.ofDays(s.integer("pis.exemption.expiry-warning-days", 7)), clock));
        bindOperatorPart(context, s, tx, clock);
        // Camel's health-check registry takes the health checks bound in the registry
        for (org.apache.camel.health.HealthCheck check : ReadinessChecks.of(dataSource, producers, bank,
                Duration.ofSeconds(s.integer("pis.health.bank-check-seconds", 60)), clock)) {
            r.bind("health-check-" + check.getId(), check);
        }
    }

    /**
     * The operator's console, its login, health and metrics. Camel's Micrometer support takes the
     * registry bound as metricsRegistry, so the bank-call timers and the store's figures land in the
     * same Prometheus registry as Camel's own.
     */
    private static void bindOperatorPart(CamelContext context, RuntimeSettings s, Transactions tx, Clock clock) {
        Registry r = context.getRegistry();
        String publicUrl = s.required("pis.http.public-url");
        OperatorAccess access = new OperatorAccess(
                new OperatorLogins(s.path("pis.console.users-file", "data/keys/console-users"),
                        s.path("pis.console.api-tokens-file", "data/keys/console-tokens")),
                new ConsoleSessions(Duration.ofMinutes(s.integer("pis.console.session-idle-minutes", 30)), clock), publicUrl);
        ConsoleQueries queries = new ConsoleQueries(tx);
        OrderHistory history = new OrderHistory(tx, clock);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.bind("metricsRegistry", metrics);
        context.getManagementStrategy().addEventNotifier(new BankCallMetrics(metrics));
        r.bind("responseHeaders", new ResponseHeaders());
        r.bind("operatorAccess", access);
        r.bind("scaReminder", new ScaReminder(queries, publicUrl));
        r.bind("healthReport", new HealthReport(access));
        r.bind("operatorMetrics", new OperatorMetrics(access, queries, metrics, clock));
        r.bind("consolePages", new ConsolePages(access, queries, history, context.createProducerTemplate(), publicUrl,
                s.integer("pis.console.refresh-seconds", 5), clock));
    }

    /** ERP batch files: their layout, intake and reports, and the database record of the files taken. */
    private static void bindFiles(Registry r, RuntimeSettings s, DataSource dataSource, OrderStore orders,
                                  BatchFileStore files, Clock clock) {
        CsvLayout layout = new CsvLayout(s.string("pis.files.delimiter", ";").charAt(0),
                s.string("pis.files.decimal-separator", ".").charAt(0),
                java.nio.charset.Charset.forName(s.string("pis.files.charset", "UTF-8")),
                CsvLayout.columns(s.string("pis.files.columns", null)));
        r.bind("fileIntake", new FileIntake(layout, orders, files, s.integer("pis.files.progress-every-lines", 1000)));
        r.bind("fileReports", new FileReports(files, layout.delimiter(), s.required("pis.http.public-url"), clock));
        // the schema's camel_messageprocessed table (V1), shared by every instance
        JdbcMessageIdRepository taken = new JdbcMessageIdRepository(dataSource, "ingest-files");
        taken.setCreateTableIfNotExists(false);
        r.bind("filesTaken", taken);
        r.bind("inboxReader", new InboxReader(dataSource));
    }
}
