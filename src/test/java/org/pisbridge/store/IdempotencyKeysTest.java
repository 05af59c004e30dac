package org.pisbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pisbridge.orders.OrderState;

/**
 * An x-idempotency-key is given to one order and one payment of it, for good: a new payment of an
 * order (a re-submission) gets a new key, its old one stays taken, and a key given before cannot be
 * given again — the store refuses the whole transaction.
 */
class IdempotencyKeysTest {
    @Test
    void aKeyIsGivenOnceForGood(@TempDir Path dir) throws Exception {
        try (StoredFileBundle stored = StoredFileBundle.of(dir, 2, "pay-1", "pay-2")) {
            String first = stored.records.order("pay-1").idempotencyKey();
            assertThat(first).isEqualTo(IdempotencyKeys.derive("pay-1"));
            assertThat(issued(stored)).containsExactlyInAnyOrder(
                    List.of(first, "pay-1"), List.of(IdempotencyKeys.derive("pay-2"), "pay-2"));

            // refused, then re-submitted by request: a new payment under a new key; the old one stays taken
            stored.records.end("pay-1", OrderState.BUNDLED, OrderState.FAILED, "the bank refused it");
            assertThat(new Reinitiation(stored.records).resubmitted("pay-1", "re-submitted by request")).isNotNull();
            String second = stored.records.order("pay-1").idempotencyKey();
            assertThat(second).isNotEqualTo(first);
            assertThat(issued(stored)).contains(List.of(first, "pay-1"), List.of(second, "pay-1"));

            // a key given before, offered again (to another order here): the transaction fails, nothing of it is stored
            assertThatThrownBy(() -> stored.tx.inTransaction(c -> {
                Sql.update(c, "update order_progress set reason = 'changed' where order_seq = (select order_seq from payment_order where order_id = 'pay-2')");
                IdempotencyKeys.give(c, "pay-2", "pay-1", Instant.now()); // pay-1's first key
                return null;
            })).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(Sql.isDuplicateKey((java.sql.SQLException) e.getCause())).isTrue());
            assertThat(stored.records.order("pay-2").reason()).isNull();
            assertThat(issued(stored)).hasSize(3);
        }
    }

    private static List<List<String>> issued(StoredFileBundle stored) {
        return stored.tx.inTransaction(c -> Sql.rows(c, "select idempotency_key, order_id from issued_idempotency_key",
                rs -> List.of(rs.getString(1), rs.getString(2))));
    }
}
