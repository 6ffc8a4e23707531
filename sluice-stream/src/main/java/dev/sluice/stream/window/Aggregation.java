package dev.sluice.stream.window;

import java.util.function.Supplier;

/**
 * One output field of a windowed aggregation: {@code views: count()}, {@code users: count_distinct(user_id)}.
 *
 * @param output the result field
 * @param field the event field it reads, or null for count()
 * @param call the function as written, for messages
 */
public record Aggregation(String output, String field, String call, Supplier<Accumulator> accumulators) {
    public Accumulator newAccumulator() {
        return accumulators.get();
    }
}
