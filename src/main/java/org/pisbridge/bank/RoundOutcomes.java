package org.pisbridge.bank;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What a round of bank calls found out is stored in one transaction; should the store refuse it,
 * one outcome at a time, so an outcome the store refuses loses no other's.
 */
final class RoundOutcomes {
    private RoundOutcomes() {
    }

    static <T> void store(List<T> outcomes, Consumer<List<T>> storing, BiConsumer<T, RuntimeException> refused) {
        try {
            storing.accept(outcomes);
        } catch (RuntimeException e) {
            for (T outcome : outcomes) {
                try {
                    storing.accept(List.of(outcome));
                } catch (RuntimeException one) {
                    refused.accept(outcome, one);
                }
            }
        }
    }
}
