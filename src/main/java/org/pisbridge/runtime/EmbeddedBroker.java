package org.pisbridge.runtime;

import java.nio.file.Path;
import java.util.Set;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded ActiveMQ Artemis broker used when no external broker URL is configured: one TCP
 * acceptor on loopback and a persistent journal, so queued orders survive a restart. It accepts
 * only its one user ({@link BrokerCredentials}): loopback alone would let any local process post orders.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String ROLE = "pis-bridge";

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final String host;
    private final int port;

    private EmbeddedBroker(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Starts the broker. Artemis only logs AMQ224104 when its port is taken and keeps running
     * without an acceptor, so the start is checked and a taken port fails loudly.
     */
    public static EmbeddedBroker start(String host, int port, Path dataDir, int maxDeliveryAttempts,
                                       BrokerCredentials login) throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(host, port);
        Configuration config = new ConfigurationImpl()
                .setName("pis-bridge")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(true)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .addAcceptorConfiguration("tcp", "tcp://" + host + ":" + port);
        // poison messages end on DLQ after a bounded number of deliveries instead of looping
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of("DLQ"))
                .setExpiryAddress(org.apache.activemq.artemis.api.core.SimpleString.of("ExpiryQueue"))
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setAutoCreateDeadLetterResources(false));
        config.putSecurityRoles("#", Set.of(new Role(ROLE, true, true, true, true, true, true, true, true, true, true,
                false, false)));
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(login.user(), login.password());
        users.addRole(login.user(), ROLE);
        broker.server.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        broker.server.setConfiguration(config);
        broker.server.start();
        boolean listening = broker.server.getActiveMQServer().isActive()
                && broker.server.getActiveMQServer().getRemotingService().getAcceptor("tcp") != null
                && broker.server.getActiveMQServer().getRemotingService().getAcceptor("tcp").isStarted();
        if (!listening) {
            broker.close();
            throw new PortInUseException("Embedded Artemis broker", host, port);
        }
        LOG.info("Embedded Artemis broker listening on tcp://{}:{} (journal {})", host, port, dataDir);
        return broker;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
