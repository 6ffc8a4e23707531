package dev.sluice.stream.runtime;

import java.util.Arrays;

/** Durations of a recurring pause (checkpoints), the latest ones kept, for percentiles. Thread-safe. */
public final class Pauses {
    /** Count, and percentiles in milliseconds, of the pauses kept. */
    public record Summary(long count, double p50Ms, double p99Ms, double maxMs) {}

    private final long[] nanos;
    private long count;

    Pauses(int keep) {
        this.nanos = new long[keep];
    }

    synchronized void add(long durationNanos) {
        nanos[(int) (count++ % nanos.length)] = durationNanos;
    }

    public synchronized Summary summary() {
        int n = (int) Math.min(count, nanos.length);
        if (n == 0) {
            return new Summary(0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        return new Summary(count, ms(sorted, 0.50), ms(sorted, 0.99), sorted[n - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
