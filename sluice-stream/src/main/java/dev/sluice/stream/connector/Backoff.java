package dev.sluice.stream.connector;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, for the runtime and for connectors that retry on their own: the n-th wait is a random time between half and all of
 * {@code min(max, initial * 2^n)}. Immutable.
 */
public record Backoff(long initialMs, long maxMs) {
    public static final Backoff DEFAULT = new Backoff(100, 30_000);

    public long delayMs(int attempt) {
        long ceiling = Math.min(maxMs, initialMs << Math.min(attempt, 30));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
