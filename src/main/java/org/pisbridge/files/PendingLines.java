package org.pisbridge.files;

import java.util.ArrayList;
import java.util.List;
import org.pisbridge.store.OrderStore;

/**
 * A file's valid lines (CSV lines or pain.001 transactions) not stored yet: stored together, in one
 * transaction ({@link OrderStore#acceptFileLines}). They are stored before anything else about the
 * file is recorded (a rejected line, the file's transaction rows, its bundle's close), so the last
 * line stored, where a resumed file goes on, never passes a line not stored.
 */
final class PendingLines {
    /** How many valid lines are stored together. */
    static final int CHUNK = 500;

    private final OrderStore orders;
    private final String file;
    private final List<OrderStore.FileLine> lines = new ArrayList<>();
    private final List<Runnable> ifDuplicate = new ArrayList<>();
    private int duplicates;

    PendingLines(OrderStore orders, String file) {
        this.orders = orders;
        this.file = file;
    }

    /** A valid line, and what to record should its orderId turn out to be taken before. */
    void add(OrderStore.FileLine line, Runnable duplicate) {
        lines.add(line);
        ifDuplicate.add(duplicate);
    }

    boolean full() {
        return lines.size() >= CHUNK;
    }

    /** Lines stored so far that were duplicates of orders received before. */
    int duplicates() {
        return duplicates;
    }

    void store() {
        if (lines.isEmpty()) {
            return;
        }
        List<OrderStore.Accepted> outcomes = orders.acceptFileLines(file, lines);
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) == OrderStore.Accepted.DUPLICATE) {
                ifDuplicate.get(i).run();
                duplicates++;
            }
        }
        lines.clear();
        ifDuplicate.clear();
    }
}
