package dev.sluice.stream.join;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A table whose rows keep their history: for each key, the versions of its row by the time they became valid, so
 * that an event can be joined with the row as it was at the event's time (a replayed week-old order gets the price of
 * a week ago, not today's). A version is valid from its time until the next version's time; a deleted row is a
 * version with no row. Versions may arrive in any order; a deletion is kept as a version too, so that an older row
 * arriving after it does not come back to life. Versions older than {@code historyMs} behind a key's newest one are
 * dropped, except the last one before that point (it still answers for times up to the next version).
 *
 * <p>One thread writes ({@link #put}); any number read, without locks: each key's versions are an immutable value
 * replaced as a whole.
 */
public final class VersionedTable {
    private final long historyMs;
    private final Map<String, Versions> rows = new ConcurrentHashMap<>();

    public VersionedTable(long historyMs) {
        if (historyMs < 0) {
            throw new IllegalArgumentException("history must be >= 0, got " + historyMs);
        }
        this.historyMs = historyMs;
    }

    /**
     * Records a key's row as of {@code time}; a null row deletes the key from then on. A version at the same time as
     * an existing one replaces it (the later write wins).
     */
    public void put(String key, long time, Map<String, Object> row) {
        Versions before = rows.get(key);
        rows.put(key, before == null ? Versions.of(time, row) : before.with(time, row, historyMs));
    }

    /** The key's row as it was at {@code time}, or null if it had none then (not yet, deleted, or history dropped). */
    public Map<String, Object> asOf(String key, long time) {
        Versions v = rows.get(key);
        return v == null ? null : v.asOf(time);
    }

    /** The key's newest row, or null if it has none or was deleted. */
    public Map<String, Object> latest(String key) {
        Versions v = rows.get(key);
        return v == null ? null : v.row(v.rows.length - 1);
    }

    /** Keys with a row or history. */
    public int size() {
        return rows.size();
    }

    /** One key's versions, oldest first. Immutable. */
    private static final class Versions {
        final long[] times;
        final Object[] rows;

        private Versions(long[] times, Object[] rows) {
            this.times = times;
            this.rows = rows;
        }

        static Versions of(long time, Map<String, Object> row) {
            return new Versions(new long[] {time}, new Object[] {row});
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> row(int i) {
            return (Map<String, Object>) rows[i];
        }

        Map<String, Object> asOf(long time) {
            int i = Arrays.binarySearch(times, time);
            int at = i >= 0 ? i : -i - 2; // the last version at or before the time
            return at < 0 ? null : row(at);
        }

        Versions with(long time, Map<String, Object> row, long historyMs) {
            int i = Arrays.binarySearch(times, time);
            long[] t;
            Object[] r;
            if (i >= 0) {
                t = times;
                r = rows.clone();
                r[i] = row;
            } else {
                int at = -i - 1;
                t = new long[times.length + 1];
                r = new Object[rows.length + 1];
                System.arraycopy(times, 0, t, 0, at);
                System.arraycopy(rows, 0, r, 0, at);
                t[at] = time;
                r[at] = row;
                System.arraycopy(times, at, t, at + 1, times.length - at);
                System.arraycopy(rows, at, r, at + 1, rows.length - at);
            }
            // keep the versions within the history, and the one before them (valid at the history's start)
            long cutoff = t[t.length - 1] - historyMs;
            int first = 0;
            while (first + 1 < t.length && t[first + 1] <= cutoff) {
                first++;
            }
            if (first == 0) {
                return new Versions(t, r);
            }
            return new Versions(Arrays.copyOfRange(t, first, t.length), Arrays.copyOfRange(r, first, r.length));
        }
    }
}
