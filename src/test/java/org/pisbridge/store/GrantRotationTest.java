package org.pisbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances rotating one payer's refresh token at the same moment (an exemption payment and a
 * bundle's access renewal, or two runtimes): one rotation at a time, each with the token the
 * previous one left, never the same token twice — on H2 and on a real PostgreSQL.
 */
class GrantRotationTest {
    private static final String PAYER = "FI4950009420028730";

    @Test
    void rotationsOfOnePayerRunOneAtATimeOnH2(@TempDir Path dir) throws Exception {
        try (Database db = Database.h2File(dir, 4)) {
            rotateConcurrently(db);
        }
    }

    @Test
    void rotationsOfOnePayerRunOneAtATimeOnPostgres() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             Database db = Database.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 4)) {
            rotateConcurrently(db);
        }
    }

    private static void rotateConcurrently(Database db) throws Exception {
        Transactions tx = new Transactions(db.dataSource());
        // two "instances": each its own store objects over the shared database
        PayerGrants first = new PayerGrants(tx);
        PayerGrants second = new PayerGrants(new Transactions(db.dataSource()));
        first.replaceAfterSca(PAYER, "auth-1", "token-0", Instant.now().plusSeconds(3600), Instant.now());
        List<String> used = new CopyOnWriteArrayList<>();
        CountDownLatch bothStarted = new CountDownLatch(2);
        PayerGrants.RefreshCall bank = token -> {
            used.add(token);
            try {
                Thread.sleep(300); // the bank's answer takes a while: the other rotation must wait for it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "token-" + used.size();
        };
        Thread a = new Thread(() -> {
            bothStarted.countDown();
            first.rotate(PAYER, null, bank, Instant.now());
        });
        Thread b = new Thread(() -> {
            bothStarted.countDown();
            second.rotate(PAYER, null, bank, Instant.now());
        });
        a.start();
        b.start();
        a.join(20_000);
        b.join(20_000);
        assertThat(used).containsExactly("token-0", "token-1");
        assertThat(first.of(PAYER).orElseThrow().encryptedRefreshToken()).isEqualTo("token-2");
    }
}
