package org.pisbridge.store;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pisbridge.orders.PaymentOrder;

/**
 * A fresh H2 store holding one batch file's orders of one payer: one bundle, its orders in file
 * order ({@code pay.csv}, lines 1, 2, …), for the stage stores' tests.
 */
final class StoredFileBundle implements AutoCloseable {
    private static final String PAYER = "FI4950009420028730";

    final Database db;
    final Transactions tx;
    final OrderRecords records;
    final String bundleId;

    private StoredFileBundle(Path dir, int poolSize, List<String> orderIds) {
        this.db = Database.h2File(dir, poolSize);
        this.tx = new Transactions(db.dataSource());
        Clock clock = Clock.systemUTC();
        List<OrderStore.FileLine> lines = new ArrayList<>();
        for (int i = 0; i < orderIds.size(); i++) {
            int line = i + 1;
            lines.add(new OrderStore.FileLine(new PaymentOrder(orderIds.get(i), null, null, PAYER, "FI9112345600000786",
                    "Supplier " + line, new BigDecimal("1.0" + line), null, null, false), line));
        }
        try {
            new OrderStore(tx, clock, new ExemptionRules(false, Set.of())).acceptFileLines("pay.csv", lines);
            this.records = new OrderRecords(tx, clock, Duration.ofHours(1));
            this.bundleId = records.order(orderIds.get(0)).bundleId();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    static StoredFileBundle of(Path dir, int poolSize, String... orderIds) {
        return new StoredFileBundle(dir, poolSize, List.of(orderIds));
    }

    @Override
    public void close() {
        db.close();
    }
}
