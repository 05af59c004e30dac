package org.pisbridge.orders;

import java.util.List;
import org.pisbridge.store.StatusOutbox;
import org.pisbridge.store.Transactions;

/** Reads the status-event outbox for the publishing route and removes what it has sent. */
public final class StatusPublishing {
    private final Transactions tx;
    private final StatusOutbox outbox = new StatusOutbox();
    private final int batch;

    public StatusPublishing(Transactions tx, int batch) {
        this.tx = tx;
        this.batch = batch;
    }

    public List<StatusOutbox.Pending> pending() {
        return tx.inTransaction(c -> outbox.oldest(c, batch));
    }

    public void sent(long eventId) {
        tx.inTransaction(c -> {
            outbox.delete(c, eventId);
            return null;
        });
    }
}
