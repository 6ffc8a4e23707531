package dev.sluice.stream.runtime;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one source or stage, updated by its tasks and read by progress displays. Thread-safe. */
public final class Metrics {
    final LongAdder in = new LongAdder();
    final LongAdder out = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder retries = new LongAdder();
    final Pauses checkpointPauses = new Pauses(10_000);
    final AtomicReference<String> waitingOn = new AtomicReference<>();
    final AtomicReference<String> lastError = new AtomicReference<>();

    /**
     * A snapshot.
     *
     * @param late events a window refused as too late (sent to its late-events topic)
     * @param waitingOn what the component is retrying right now (a sink that is down), or null
     */
    public record Snapshot(
            long in, long out, long deadLettered, long late, long retries, String waitingOn, String lastError) {}

    /** How long the tasks stopped to take checkpoints of their state (stages with windows). */
    public Pauses.Summary checkpointPauses() {
        return checkpointPauses.summary();
    }

    public Snapshot snapshot() {
        return new Snapshot(
                in.sum(), out.sum(), deadLettered.sum(), late.sum(), retries.sum(), waitingOn.get(), lastError.get());
    }
}
