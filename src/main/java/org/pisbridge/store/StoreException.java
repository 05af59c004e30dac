package org.pisbridge.store;

import java.sql.SQLException;

/** The store failed (connection, constraint, SQL): the unit of work was rolled back. */
public final class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super("Store error: " + cause.getMessage(), cause);
    }
}
