package org.pisbridge.bank;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What a round of bank calls found out is stored in one transaction; should the store refuse it,
 * one outcome at a time, so an outcome the store refuses loses no other's. The round's bodies
 * are those its calls ended with: a call that failed ends with none of the outcome type (its
 * failure was dealt with in the call's own step) and is passed over.
 */
final class RoundOutcomes {
    private RoundOutcomes() {
    }

    static <T> void store(List<?> bodies, Class<T> type, Consumer<List<T>> storing, BiConsumer<T, RuntimeException> refused) {
        List<T> outcomes = bodies.stream().filter(type::isInstance).map(type::cast).toList();
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
