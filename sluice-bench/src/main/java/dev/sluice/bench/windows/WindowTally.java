package dev.sluice.bench.windows;

/**
 * What an engine produced for the closed windows: how many results (one per key and window), the sum of their
 * counts, and how many distinct windows they belong to (0 when an engine does not track it).
 */
record WindowTally(long results, long countSum, long windows) {
    /** The same results and total count (the number of windows is informative only). */
    boolean sameAs(WindowTally other) {
        return results == other.results && countSum == other.countSum;
    }

    @Override
    public String toString() {
        return String.format("%,d results, counts summing to %,d", results, countSum);
    }
}
