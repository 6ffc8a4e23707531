package dev.sluice.stream.connector;

import java.util.List;

/**
 * A kind of sink, found by its {@link #type()} with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.sluice.stream.connector.SinkConnector}).
 */
public interface SinkConnector {
    String type();

    String description();

    List<ConfigKey> keys();

    /** The most tasks that may write at once (a single-writer database says 1). */
    default int maxParallelism() {
        return Integer.MAX_VALUE;
    }

    /**
     * Checks the settings and builds a sink for one task; nothing is opened yet.
     *
     * @throws dev.sluice.stream.spec.PipelineException for bad settings
     */
    Sink create(Config config, ConnectorContext context);

    /**
     * Whether the sink holds what it writes until a commit, at any guarantee (files that cannot be appended to, like
     * Parquet): then the runtime always builds it with {@link #createExactlyOnce} and commits the stage's offsets
     * between its prepare and publish.
     */
    default boolean twoPhase() {
        return false;
    }

    /**
     * Whether {@link #createExactlyOnce} works: the sink can publish its output together with the input offsets (a
     * {@link #twoPhase} sink always can).
     */
    default boolean supportsExactlyOnce() {
        return twoPhase();
    }

    /**
     * Builds a sink for a stage with {@code guarantee: exactly-once}.
     *
     * @throws UnsupportedOperationException unless {@link #supportsExactlyOnce()}
     */
    default TransactionalSink createExactlyOnce(Config config, ConnectorContext context) {
        throw new UnsupportedOperationException(type() + " sinks cannot publish exactly once");
    }
}
