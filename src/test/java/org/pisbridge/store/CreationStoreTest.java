package org.pisbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 3's choice of what to create: a bundle without authorization opens it with one order, always the same. */
class CreationStoreTest {
    @Test
    void aBundleWaitsForItsFirstOrderToOpenTheAuthorization(@TempDir Path dir) throws Exception {
        try (StoredFileBundle stored = StoredFileBundle.of(dir, 2, "pay-1", "pay-2", "pay-3")) {
            CreationStore creations = new CreationStore(stored.records);
            String bundleId = stored.bundleId;

            assertThat(creations.dueOf(bundleId)).extracting(d -> d.order().orderId()).containsExactly("pay-1");

            // its creation got no answer: it is made again later under its key, and until then no other order
            // may open a second authorization (the first's retry would then carry an authorizationId: another body)
            creations.deferred("pay-1", "creation delayed: no answer", Instant.now().plusSeconds(3600));
            assertThat(creations.dueOf(bundleId)).isEmpty();

            // refused by the bank, it opens nothing: the next order does
            creations.refused("pay-1", "the bank refused it");
            assertThat(creations.dueOf(bundleId)).extracting(d -> d.order().orderId()).containsExactly("pay-2");

            // created (by another instance, say) before this bundle's authorization was seen: nothing until it is
            creations.created(List.of(new CreationStore.Created("pay-2", "p-2", "a-1", "Unauthorized")));
            assertThat(creations.dueOf(bundleId)).singleElement().satisfies(d -> {
                assertThat(d.order().orderId()).isEqualTo("pay-3");
                assertThat(d.authorizationId()).isEqualTo("a-1");
            });
        }
    }
}
