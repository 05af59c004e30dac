package org.pisbridge.runtime;

import jakarta.jms.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.pisbridge.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Brings up what the routes stand on before they start: the store (migrated), the JMS broker
 * connection (embedded Artemis unless {@code pis.broker.url} names one) and a check that the HTTP
 * port is free. Stops them again after Camel has stopped.
 */
public final class RuntimeInfrastructure extends MainListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeInfrastructure.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        RuntimeSettings settings = new RuntimeSettings(context);
        try {
            if (settings.flag("camel.server.enabled", false)) {
                int httpPort = settings.integer("camel.server.port", 8080);
                PortCheck.requireFree("HTTP server (camel.server.port)",
                        settings.string("camel.server.host", "0.0.0.0"), httpPort);
                // free now, taken by the broker a moment later: Vert.x then only logs a warning and the runtime
                // would run without its HTTP server (no SCA callback, no console)
                if (embeddedBroker(settings) && httpPort != 0 && httpPort == embeddedBrokerPort(settings)) {
                    throw new IllegalStateException("The HTTP server (camel.server.port) and the embedded broker"
                            + " (pis.broker.embedded.port) are both set to port " + httpPort + ": give each a port of its own");
                }
            }
            Database database = Database.open(
                    closedByUs(settings.required("pis.db.url")),
                    settings.string("pis.db.user", null),
                    settings.string("pis.db.password", null),
                    settings.integer("pis.db.pool-size", 48),
                    Duration.ofMillis(settings.integer("pis.db.lock-timeout-ms", 30_000)));
            started.push(database);
            context.getRegistry().bind("dataSource", database.dataSource());

            ConnectionFactory broker = connectionFactory(settings);
            context.getRegistry().bind("jmsConnectionFactory", broker);
            // what the runtime sends (status and SCA events, grant events) goes over one cached connection and
            // its sessions and producers, not a new connection per message; consumers keep their own connections
            CachingConnectionFactory producers = new CachingConnectionFactory(broker);
            started.push(producers::destroy);
            context.getRegistry().bind("jmsProducers", producers);
            FlowBeans.bind(context, settings, database.dataSource(), producers);
        } catch (RuntimeException e) {
            closeAll();
            throw e;
        } catch (Exception e) {
            closeAll();
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * H2 closes its database in a JVM shutdown hook of its own, which on SIGTERM runs while Camel
     * is still stopping the timer routes ("Database is already closed"): the runtime closes it
     * instead, after the routes stopped, when the pool's last connection goes.
     */
    static String closedByUs(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT")
                ? jdbcUrl + ";DB_CLOSE_ON_EXIT=FALSE" : jdbcUrl;
    }

    private ConnectionFactory connectionFactory(RuntimeSettings settings) throws Exception {
        if (embeddedBroker(settings)) {
            started.push(EmbeddedBroker.start(
                    settings.string("pis.broker.embedded.host", "127.0.0.1"),
                    embeddedBrokerPort(settings),
                    settings.path("pis.broker.embedded.data-dir", "data/artemis"),
                    settings.integer("pis.broker.max-delivery-attempts", 5),
                    BrokerCredentials.loadOrCreate(embeddedCredentialsFile(settings))));
        } else {
            LOG.info("Using external JMS broker {}", brokerUrlShown(settings));
        }
        return brokerClient(settings);
    }

    /** The runtime runs its own broker unless {@code pis.broker.url} names an external one. */
    private static boolean embeddedBroker(RuntimeSettings settings) {
        return settings.string("pis.broker.url", null) == null;
    }

    private static int embeddedBrokerPort(RuntimeSettings settings) {
        return settings.integer("pis.broker.embedded.port", 61616);
    }

    /** The runtime's broker: the external one named by {@code pis.broker.url}, or the embedded one's acceptor. */
    public static String brokerUrl(RuntimeSettings settings) {
        return embeddedBroker(settings)
                ? "tcp://" + settings.string("pis.broker.embedded.host", "127.0.0.1") + ":" + embeddedBrokerPort(settings)
                : settings.string("pis.broker.url", null);
    }

    /** The broker URL as a log line or message may show it: credentials in it masked. */
    public static String brokerUrlShown(RuntimeSettings settings) {
        return brokerUrl(settings).replaceAll("//[^@/]*@", "//***@");
    }

    /**
     * A JMS client of the runtime's broker with its login: for an external broker
     * {@code pis.broker.user} and its password, for the embedded one the generated credentials file
     * (none yet: the runtime never started here, and the broker will refuse the connection). Also
     * used by the commands talking to a running runtime.
     */
    public static ActiveMQConnectionFactory brokerClient(RuntimeSettings settings) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl(settings));
        if (embeddedBroker(settings)) {
            BrokerCredentials.load(embeddedCredentialsFile(settings)).ifPresent(login -> {
                factory.setUser(login.user());
                factory.setPassword(login.password());
            });
            return factory;
        }
        String user = settings.string("pis.broker.user", null);
        if (user != null) {
            factory.setUser(user);
            factory.setPassword(settings.string("pis.broker.password", null));
        }
        return factory;
    }

    private static java.nio.file.Path embeddedCredentialsFile(RuntimeSettings settings) {
        return settings.path("pis.broker.embedded.credentials-file", "data/keys/broker.properties");
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        closeAll();
    }

    private void closeAll() {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
