package dev.sluice.stream.runtime;

import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.connector.Connectors;
import java.nio.file.Path;
import java.time.Clock;

/**
 * How a pipeline runs.
 *
 * @param baseDir directory relative paths in the pipeline are resolved against (the YAML file's directory)
 * @param backoff retry timing for sinks that are down
 * @param checkpointIntervalMs how often stages with state checkpoint it (at-least-once stages; exactly-once stages
 *     checkpoint with every transaction)
 */
public record RuntimeOptions(
        Connectors connectors, Path baseDir, Clock clock, Backoff backoff, long checkpointIntervalMs) {
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 5_000;

    public static RuntimeOptions defaults(Path baseDir) {
        return new RuntimeOptions(
                Connectors.discover(), baseDir, Clock.systemUTC(), Backoff.DEFAULT, DEFAULT_CHECKPOINT_INTERVAL_MS);
    }

    public RuntimeOptions withConnectors(Connectors connectors) {
        return new RuntimeOptions(connectors, baseDir, clock, backoff, checkpointIntervalMs);
    }

    public RuntimeOptions withBackoff(Backoff backoff) {
        return new RuntimeOptions(connectors, baseDir, clock, backoff, checkpointIntervalMs);
    }

    public RuntimeOptions withCheckpointInterval(long ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException("the checkpoint interval must be positive, got " + ms + " ms");
        }
        return new RuntimeOptions(connectors, baseDir, clock, backoff, ms);
    }
}
