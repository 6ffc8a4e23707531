package dev.sluice.stream.runtime;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.CommitFailedException;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.connector.TransactionalSink;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Commits an exactly-once sink's stage in two phases, every interval between batches, when partitions move, and at a
 * clean stop: the sink prepares what it wrote, the task commits the consumed positions, and the sink publishes. A
 * commit the group refuses (it is rebalancing) leaves the prepared output aside: the next successful commit covers it,
 * or the partition's next owner recovers it by the committed offsets. Used by the task's thread.
 */
final class SinkPublishing {
    private final TransactionalSink sink;
    private final Consumer consumer;
    private final Clock clock;
    private final long intervalMs;
    private final Metrics metrics;
    private long last;

    SinkPublishing(TransactionalSink sink, Consumer consumer, Clock clock, long intervalMs, Metrics metrics) {
        this.sink = sink;
        this.consumer = consumer;
        this.clock = clock;
        this.intervalMs = sink.publishEveryMs() > 0 ? sink.publishEveryMs() : intervalMs;
        this.metrics = metrics;
        this.last = clock.millis();
    }

    /** Between batches: commits when the interval has passed. */
    void onBatchBoundary() throws SinkException {
        if (clock.millis() - last >= intervalMs) {
            commit();
        }
    }

    /** Prepares, commits the consumed positions, and publishes. */
    void commit() throws SinkException {
        last = clock.millis();
        sink.prepare();
        try {
            consumer.commitSync();
        } catch (CommitFailedException e) {
            metrics.lastError.set(e.getMessage());
            return;
        } catch (BrokerException e) {
            if (!e.isRetriable()) {
                throw e;
            }
            metrics.lastError.set(e.getMessage());
            return;
        }
        sink.publish();
    }

    /** The task lost these partitions without a commit: the sink forgets what it has of them. */
    void onLost(Collection<TopicPartition> partitions) throws SinkException {
        sink.forget(partitions);
    }

    /** The task got these partitions: the sink settles what earlier owners left, by the committed offsets. */
    void onAssigned(Collection<TopicPartition> partitions) throws SinkException {
        Map<TopicPartition, Long> committed = new LinkedHashMap<>();
        Map<TopicPartition, Long> known = consumer.committed(new HashSet<>(partitions));
        for (TopicPartition p : partitions) {
            committed.put(p, known.get(p));
        }
        sink.recover(committed);
    }
}
