package dev.sluice.stream.runtime;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.CommitFailedException;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.Producer;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.step.StatefulStep;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Keeps a stage task's state recoverable. Periodically, between batches, it takes what changed in each partition's
 * state (a copy-on-write snapshot: the task stops only for that), and a background thread writes it to the stage's
 * changelog, then a checkpoint entry with the partition's input offset and what the step keeps, and waits for the
 * broker to acknowledge them; the task then commits the offsets to its group. A partition assigned to the task is
 * restored from its changelog up to its last checkpoint, and read again from that checkpoint's offset: its state then
 * holds exactly the events before that offset, whatever happened after it. Results emitted between the checkpoint and a
 * crash come out again (the same results: sinks that upsert by key and window store each once). Used by the task's
 * thread.
 */
final class StateCheckpoints implements AutoCloseable {
    /** One partition's part of a checkpoint. */
    private record Part(
            TopicPartition input, TopicPartition target, StatefulStep.StateChanges changes, Changelog.Checkpoint at) {}

    private final Changelog changelog;
    private final StatefulStep step;
    private final Consumer consumer;
    private final Delivery delivery;
    private final Producer producer;
    private final Clock clock;
    private final long intervalMs;
    private final Metrics metrics;
    private final boolean transactional;
    private final ExecutorService writer;
    /** How long a restore waits for an open transaction to be aborted (several transaction timeouts). */
    private static final long RESTORE_WAIT_MS = 60_000;

    private Future<Map<TopicPartition, Long>> inFlight;
    private long last;

    /**
     * @param producer writes checkpoints in the background (at-least-once stages)
     * @param transactional the delivery is a transaction per batch: a checkpoint goes into every batch's transaction,
     *     and a cut-short checkpoint is never visible (read committed), so nothing needs overwriting
     */
    StateCheckpoints(
            Changelog changelog,
            StatefulStep step,
            Consumer consumer,
            Delivery delivery,
            Producer producer,
            Clock clock,
            long intervalMs,
            Metrics metrics,
            boolean transactional) {
        this.changelog = changelog;
        this.step = step;
        this.consumer = consumer;
        this.delivery = delivery;
        this.producer = producer;
        this.clock = clock;
        this.intervalMs = intervalMs;
        this.metrics = metrics;
        this.transactional = transactional;
        this.last = clock.millis();
        this.writer = transactional
                ? null
                : Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "sluice-checkpoint-" + changelog.topic());
                    t.setDaemon(true);
                    return t;
                });
    }

    boolean transactional() {
        return transactional;
    }

    /** Restores newly assigned partitions and moves the consumer to their checkpoints. */
    void restore(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> committed =
                transactional ? consumer.committed(new java.util.HashSet<>(partitions)) : Map.of();
        for (TopicPartition p : partitions) {
            Changelog.Restored r = readUpTo(p, committed.get(p));
            List<byte[][]> entries = new ArrayList<>(r.entries().size());
            r.entries().forEach((k, v) -> entries.add(new byte[][] {k.getBytes(StandardCharsets.UTF_8), v}));
            step.restore(
                    p, entries, r.checkpoint() == null ? null : r.checkpoint().step());
            if (!r.cutShort().isEmpty() && !transactional) {
                overwrite(p, r);
            }
            if (r.checkpoint() != null) {
                consumer.seek(p, r.checkpoint().offset());
            }
        }
    }

    /**
     * Exactly-once stages, after the batch's transaction was aborted (the group moved on, or the producer was fenced):
     * the state the batch and its timers changed in memory is thrown away and every partition the task still owns is
     * restored from its last committed checkpoint, and read again from there. Keeping it would count the batch twice
     * when it is read again, and the changes the aborted checkpoint carried would never reach the changelog, so a
     * later restore would miss them.
     */
    void rollBack() {
        Set<TopicPartition> owned = consumer.assignment();
        if (owned.isEmpty()) {
            return;
        }
        step.onRevoked(owned);
        step.onAssigned(owned, clock.millis());
        restore(owned);
    }

    /**
     * Reads a partition's changelog. Exactly once, the group's committed offset was committed in the same transaction
     * as a checkpoint at that offset, so the changelog must show it; when it shows an older one (or none), a
     * transaction left open by a killed process hides it (a read-committed reader stops at the first open
     * transaction, even before committed ones after it), and the read is tried again until the broker has aborted
     * that transaction (after the producer's transaction timeout). Restoring the older checkpoint instead would lose
     * or repeat the events in between.
     */
    private Changelog.Restored readUpTo(TopicPartition p, Long committedOffset) {
        long deadline = System.nanoTime() + RESTORE_WAIT_MS * 1_000_000;
        while (true) {
            Changelog.Restored r = changelog.read(p);
            long at = r.checkpoint() == null ? -1 : r.checkpoint().offset();
            if (committedOffset == null || at >= committedOffset) {
                metrics.waitingOn.compareAndSet(
                        "restoring " + p + ": an open transaction hides its latest checkpoint", null);
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the changelog " + changelog.topic() + " of " + p + " shows no"
                        + " checkpoint at the group's committed offset " + committedOffset + " (the latest is at " + at
                        + ") after " + RESTORE_WAIT_MS / 1000 + " s; a transaction that is still open may hide it");
            }
            if (metrics.waitingOn.getAndSet("restoring " + p + ": an open transaction hides its latest checkpoint")
                    == null) {
                System.getLogger("dev.sluice.stream")
                        .log(
                                System.Logger.Level.INFO,
                                "restoring " + p + ": the changelog shows a checkpoint at " + at + " but the group"
                                        + " committed " + committedOffset + "; waiting for an open transaction of a"
                                        + " stopped process to be aborted");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while restoring " + p, e);
            }
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
                            key.getBytes(StandardCharsets.UTF_8), r.entries().get(key), now));
        }
        if (r.checkpoint() != null) {
            delivery.send(target, Changelog.checkpoint(r.checkpoint(), now));
        }
        delivery.complete(List.of());
    }

    /**
     * Exactly-once stages: writes a checkpoint of these partitions into the current transaction (after the batch's
     * outputs), synchronously.
     */
    void writeInTransaction(Collection<TopicPartition> partitions) {
        long now = clock.millis();
        for (Part part : take(partitions)) {
            part.changes().forEach((key, value) -> delivery.send(part.target(), Changelog.entry(key, value, now)));
            delivery.send(part.target(), Changelog.checkpoint(part.at(), now));
        }
    }

    /**
     * At-least-once stages, between batches: commits the offsets of a checkpoint the background has finished writing,
     * and starts the next one when it is due and none is being written.
     *
     * @throws CompletionException if writing the last checkpoint failed (the task stops; nothing is lost)
     */
    void onBatchBoundary() {
        finish(false);
        if (inFlight == null && clock.millis() - last >= intervalMs) {
            start(consumer.assignment());
        }
    }

    /** Checkpoints these partitions now and waits until it is written and committed (before they move, or a stop). */
    void checkpointNow(Collection<TopicPartition> partitions) {
        finish(true);
        if (!partitions.isEmpty()) {
            start(partitions);
            finish(true);
        }
    }

    /** Takes the changes of each partition, with where its input is and what the step keeps. */
    private List<Part> take(Collection<TopicPartition> partitions) {
        List<Part> parts = new ArrayList<>();
        for (TopicPartition p : new TreeSet<>(partitions)) {
            StatefulStep.StateChanges changes = step.changes(p);
            Changelog.Checkpoint at = new Changelog.Checkpoint(consumer.position(p), step.checkpointState(p));
            parts.add(new Part(p, changelog.partitionFor(p), changes, at));
        }
        last = clock.millis();
        return parts;
    }

    /** Takes a snapshot (the pause) and hands it to the background writer. */
    private void start(Collection<TopicPartition> partitions) {
        long started = System.nanoTime();
        List<Part> parts = take(partitions);
        metrics.checkpointPauses.add(System.nanoTime() - started);
        inFlight = writer.submit(() -> write(parts));
    }

    /** On the background thread: every change, then each partition's checkpoint entry; waits for the broker. */
    private Map<TopicPartition, Long> write(List<Part> parts) {
        long now = clock.millis();
        SendErrors errors = new SendErrors();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Part part : parts) {
            part.changes()
                    .forEach((key, value) -> producer.send(part.target(), Changelog.entry(key, value, now))
                            .whenComplete((r, e) -> errors.onCompletion(e)));
            producer.send(part.target(), Changelog.checkpoint(part.at(), now))
                    .whenComplete((r, e) -> errors.onCompletion(e));
            offsets.put(part.input(), part.at().offset());
        }
        producer.flush();
        errors.check();
        return offsets;
    }

    /** Commits the offsets of the checkpoint being written once it is (waiting for it if asked). */
    private void finish(boolean wait) {
        if (inFlight == null || (!wait && !inFlight.isDone())) {
            return;
        }
        Map<TopicPartition, Long> offsets;
        try {
            offsets = inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            throw new CompletionException("writing a checkpoint to " + changelog.topic() + " failed", e.getCause());
        } finally {
            inFlight = null;
        }
        offsets.keySet().retainAll(consumer.assignment());
        if (offsets.isEmpty()) {
            return;
        }
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
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.shutdownNow();
        }
    }
}
