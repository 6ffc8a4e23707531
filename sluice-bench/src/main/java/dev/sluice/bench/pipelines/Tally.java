package dev.sluice.bench.pipelines;

/**
 * What a set of output rows adds up to: how many rows, the total of their counts (W2) or of the rows themselves (W1),
 * and an order-independent digest, the sum (mod 2^64) of a 64-bit hash of each row's canonical text. Two outputs with
 * the same rows in any order have the same tally; a missing, extra, duplicated or changed row changes it.
 */
record Tally(long rows, long total, long digest) {
    static final Tally EMPTY = new Tally(0, 0, 0);

    /** This tally with one more row of canonical text {@code row} counting {@code count}. */
    Tally plus(String row, long count) {
        return new Tally(rows + 1, total + count, digest + hash(row));
    }

    /** FNV-1a over the chars, then MurmurHash3's 64-bit finalizer (so that close texts spread over all bits). */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** The canonical text of a W1 row: its four fields, as text. */
    static String w1Row(long eventId, String ts, String user, String page) {
        return eventId + "\u0000" + ts + "\u0000" + user + "\u0000" + page;
    }

    /** The canonical text of a W2 row: which aggregation, its key, its window's start (epoch ms) and count. */
    static String w2Row(String by, String key, long windowStartMillis, long count) {
        return by + "\u0000" + key + "\u0000" + windowStartMillis + "\u0000" + count;
    }

    /** The digest as 16 hex digits, as reports show it. */
    String hex() {
        return String.format("%016x", digest);
    }
}
