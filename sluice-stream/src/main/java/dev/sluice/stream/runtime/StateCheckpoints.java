package dev.sluice.stream.runtime;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.CommitFailedException;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.step.StatefulStep;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps a stage task's state recoverable. Periodically, between batches, it writes what changed in each partition's
 * state to the stage's changelog, then a checkpoint with the partition's input offset and watermark, waits for the
 * broker to acknowledge them, and only then commits the offsets to the group. A partition assigned to the task is
 * restored from its changelog up to its last checkpoint, and read again from that checkpoint's offset: its state then
 * holds exactly the events before that offset, whatever happened after it. Results emitted between the checkpoint and a
 * crash come out again (the same results: sinks that upsert by key and window store each once). Owned by the task's
 * thread.
 */
final class StateCheckpoints {
    private final Changelog changelog;
    private final StatefulStep step;
    private final Consumer consumer;
    private final Delivery delivery;
    private final Clock clock;
    private final long intervalMs;
    private final Metrics metrics;
    private final boolean transactional;
    private long last;

    /**
     * @param transactional the delivery is a transaction per batch: a checkpoint goes into every batch's transaction,
     *     and a cut-short checkpoint is never visible (read committed), so nothing needs overwriting
     */
    StateCheckpoints(
            Changelog changelog,
            StatefulStep step,
            Consumer consumer,
            Delivery delivery,
            Clock clock,
            long intervalMs,
            Metrics metrics,
            boolean transactional) {
        this.changelog = changelog;
        this.step = step;
        this.consumer = consumer;
        this.delivery = delivery;
        this.clock = clock;
        this.intervalMs = intervalMs;
        this.metrics = metrics;
        this.transactional = transactional;
        this.last = clock.millis();
    }

    boolean transactional() {
        return transactional;
    }

    boolean due() {
        return clock.millis() - last >= intervalMs;
    }

    /** Restores newly assigned partitions and moves the consumer to their checkpoints. */
    void restore(Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            Changelog.Restored r = changelog.read(p);
            List<byte[][]> entries = new ArrayList<>(r.entries().size());
            r.entries()
                    .forEach((k, v) ->
                            entries.add(new byte[][] {k.getBytes(java.nio.charset.StandardCharsets.UTF_8), v}));
            Map<String, Object> kept =
                    r.checkpoint() == null ? null : r.checkpoint().step();
            step.restore(p, entries, kept);
            if (!r.cutShort().isEmpty() && !transactional) {
                overwrite(p, r);
            }
            if (r.checkpoint() != null) {
                consumer.seek(p, r.checkpoint().offset());
            }
            metrics.restoredEntries.add(entries.size());
        }
    }

    /**
     * Writes the checkpointed value (or a removal) of each key a cut-short checkpoint wrote, then the checkpoint again,
     * so that those entries never count.
     */
    private void overwrite(TopicPartition p, Changelog.Restored r) {
        TopicPartition target = changelog.partitionFor(p);
        long now = clock.millis();
        delivery.begin();
        for (String key : r.cutShort()) {
            delivery.send(
                    target,
                    Changelog.entry(
                            key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            r.entries().get(key),
                            now));
        }
        if (r.checkpoint() != null) {
            delivery.send(target, Changelog.checkpoint(r.checkpoint(), now));
        }
        delivery.complete(List.of());
    }

    /**
     * Writes a checkpoint of these partitions within the current batch (after its outputs were sent): their state
     * changes, then the checkpoint entries. Returns the offsets it covers.
     */
    Map<TopicPartition, Long> write(Collection<TopicPartition> partitions) {
        long now = clock.millis();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition p : new TreeSet<>(partitions)) {
            TopicPartition target = changelog.partitionFor(p);
            step.drainChanges(p, (key, value) -> delivery.send(target, Changelog.entry(key, value, now)));
            long offset = consumer.position(p);
            delivery.send(target, Changelog.checkpoint(new Changelog.Checkpoint(offset, step.checkpointState(p)), now));
            offsets.put(p, offset);
        }
        last = now;
        return offsets;
    }

    /**
     * Takes a checkpoint of these partitions as a batch of its own: writes it, waits for the acknowledgements, and
     * commits the offsets to the group (for lag and for tools; a restore reads the checkpoint).
     */
    void take(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        delivery.begin();
        Map<TopicPartition, Long> offsets = write(partitions);
        delivery.complete(List.of());
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException e) {
            metrics.lastError.set(e.getMessage()); // the checkpoint holds the offsets; the group's copy can wait
        } catch (BrokerException e) {
            if (!e.isRetriable()) {
                throw e;
            }
            metrics.lastError.set(e.getMessage());
        }
        metrics.checkpoints.increment();
        metrics.checkpointNanos.add(System.nanoTime() - started);
    }

    Set<TopicPartition> owned() {
        return consumer.assignment();
    }
}
