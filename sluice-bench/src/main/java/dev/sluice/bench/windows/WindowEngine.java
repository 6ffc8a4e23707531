package dev.sluice.bench.windows;

/**
 * One engine running the comparison's windowed aggregation (tumbling one-minute event-time windows, count per key,
 * five seconds of allowed out-of-orderness) over the shared input, on the calling thread or in-process.
 */
interface WindowEngine extends AutoCloseable {
    /** The engine's name in the output. */
    String name();

    /** What is timed and how the engine is set up, for the output. */
    String describe();

    /**
     * Runs the aggregation over every event once and tallies the results of the closed windows.
     *
     * @throws Exception if the engine fails; the comparison then stops
     */
    Run run(WindowEvents events) throws Exception;

    /** Stops what the engine started once for all runs (a cluster), if anything. */
    @Override
    default void close() {}

    /** One timed run: its tally and the time it took. */
    record Run(WindowTally tally, long nanos) {
        double eventsPerSecond(long events) {
            return events / (nanos / 1e9);
        }
    }
}
