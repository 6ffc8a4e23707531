package dev.sluice.bench.windows;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The input of the windowed-aggregation comparison, generated once from a seed and shared by every engine: event
 * {@code i} has the key {@code user-<k>} ({@code k} uniform below the number of keys) and an event time that advances
 * so that {@code eventsPerMinute} events fall in each minute, minus a jitter of up to {@link #MAX_DISORDER_MS}. No
 * event is ever more than that behind the latest one before it, which stays under the {@link #OUT_OF_ORDER_MS} every
 * engine allows: no event is late anywhere, so every engine must produce exactly the same windows.
 *
 * <p>Held in plain arrays (key index, event time) so that reading an event costs the same for every engine. Immutable
 * once built; safe to read from any thread.
 */
final class WindowEvents {
    /** Window size: tumbling one-minute windows. */
    static final long WINDOW_MS = 60_000;
    /** How far behind the latest event time every engine lets an event be (watermark lag, grace). */
    static final long OUT_OF_ORDER_MS = 5_000;
    /** How far behind the latest event time the generator puts an event at most. */
    static final int MAX_DISORDER_MS = 3_000;
    /** 2026-01-01T00:00:00Z: event times are epoch milliseconds of a realistic size. */
    static final long START_MS = 1_767_225_600_000L;

    private final String[] keyNames;
    private final int[] keys;
    private final long[] times;
    private final long eventsPerMinute;

    private WindowEvents(String[] keyNames, int[] keys, long[] times, long eventsPerMinute) {
        this.keyNames = keyNames;
        this.keys = keys;
        this.times = times;
        this.eventsPerMinute = eventsPerMinute;
    }

    /**
     * @throws IllegalArgumentException if a count is not positive or there are more events than an array holds
     */
    static WindowEvents generate(int events, int distinctKeys, long eventsPerMinute, long seed) {
        if (events <= 0 || distinctKeys <= 0 || eventsPerMinute <= 0) {
            throw new IllegalArgumentException("events, keys and events per minute must be above 0, got " + events
                    + ", " + distinctKeys + " and " + eventsPerMinute);
        }
        String[] names = new String[distinctKeys];
        for (int k = 0; k < distinctKeys; k++) {
            names[k] = "user-" + k;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] keys = new int[events];
        long[] times = new long[events];
        for (int i = 0; i < events; i++) {
            keys[i] = random.nextInt(distinctKeys);
            long advanced = START_MS + MAX_DISORDER_MS + (long) i * WINDOW_MS / eventsPerMinute;
            times[i] = advanced - random.nextInt(MAX_DISORDER_MS + 1);
        }
        return new WindowEvents(names, keys, times, eventsPerMinute);
    }

    /** The first {@code n} events (a copy), for a warm-up. */
    WindowEvents first(int n) {
        if (n <= 0 || n > times.length) {
            throw new IllegalArgumentException("a prefix needs 1 to " + times.length + " events, got " + n);
        }
        return new WindowEvents(keyNames, Arrays.copyOf(keys, n), Arrays.copyOf(times, n), eventsPerMinute);
    }

    int size() {
        return times.length;
    }

    int distinctKeys() {
        return keyNames.length;
    }

    long eventsPerMinute() {
        return eventsPerMinute;
    }

    /** The key of event {@code i}: the same String instance every time, for every engine. */
    String key(int i) {
        return keyNames[keys[i]];
    }

    /** The event time of event {@code i}, epoch milliseconds. */
    long time(int i) {
        return times[i];
    }

    /**
     * The window ends that count as closed: a window ending at or before this has been closed by every engine once
     * all events are in (the largest event time minus the allowed out-of-orderness). The windows after it are still
     * open when the input ends; Flink fires them at the end of its bounded input, the others do not, so every engine
     * counts only the closed ones.
     */
    long closedBound() {
        long max = Long.MIN_VALUE;
        for (long t : times) {
            max = Math.max(max, t);
        }
        return max - OUT_OF_ORDER_MS;
    }

    static long windowEnd(long time) {
        return time - Math.floorMod(time, WINDOW_MS) + WINDOW_MS;
    }

    /** What every engine must produce, computed directly from the arrays: one result per key and closed window. */
    WindowTally expected() {
        long bound = closedBound();
        Map<Long, BitSet> keysByWindow = new HashMap<>();
        long counted = 0;
        for (int i = 0; i < times.length; i++) {
            long end = windowEnd(times[i]);
            if (end <= bound) {
                keysByWindow
                        .computeIfAbsent(end, e -> new BitSet(keyNames.length))
                        .set(keys[i]);
                counted++;
            }
        }
        long results =
                keysByWindow.values().stream().mapToLong(BitSet::cardinality).sum();
        return new WindowTally(results, counted, keysByWindow.size());
    }
}
