package org.pisbridge.files;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poll strategy of the inbox ({@code pollStrategy=#inboxReader}): a poll lists and reads files only
 * while this instance holds the database lock of the {@code inbox_reader} row, taken for the whole
 * poll, so instances sharing the database never read the same file at once. The lock is held by an
 * open transaction: it ends with the poll, and with the connection of an instance that died, so the
 * next instance resumes the cut-off file at once.
 */
public final class InboxReader implements PollingConsumerPollStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(InboxReader.class);

    private final DataSource dataSource;
    // the consumer polls on one thread; the connection holding the lock is kept between begin and commit
    private final ThreadLocal<Connection> holding = new ThreadLocal<>();

    public InboxReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select id from inbox_reader where id = 1 for update skip locked");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    holding.set(c);
                    return true;
                }
            }
            LOG.debug("Another instance is reading the inbox; this poll is skipped");
            release(c);
            return false;
        } catch (SQLException e) {
            LOG.warn("The inbox lock could not be taken ({}); this poll is skipped", e.getMessage());
            release(c);
            return false;
        }
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        release(holding.get());
        holding.remove();
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        release(holding.get());
        holding.remove();
        LOG.warn("Polling the inbox failed: {}", cause.getMessage());
        return false;
    }

    private static void release(Connection c) {
        if (c == null) {
            return;
        }
        try (c) {
            c.rollback();
        } catch (SQLException e) {
            LOG.warn("The inbox lock connection did not close cleanly: {}", e.getMessage());
        }
    }
}
