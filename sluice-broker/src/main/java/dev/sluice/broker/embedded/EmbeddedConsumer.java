package dev.sluice.broker.embedded;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.BrokerUnavailableException;
import dev.sluice.broker.CommitFailedException;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.OffsetReset;
import dev.sluice.broker.RebalanceListener;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.WakeupException;
import dev.sluice.log.Log;
import dev.sluice.log.PartitionLog;
import dev.sluice.log.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded consumer: reads partitions of the log directly, waits for data on a {@link Waker} that the partitions
 * signal, and takes part in its group through {@link Group}. Owned by one thread; {@link #wakeup()} is thread-safe.
 */
final class EmbeddedConsumer implements Consumer {
    private final Log log;
    private final OffsetStore offsets;
    private final GroupCoordinator coordinator;
    private final ConsumerConfig config;
    private final java.util.function.Consumer<EmbeddedConsumer> onClose;
    private final Waker waker = new Waker();
    private final Runnable wake = waker::wake;
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    private final Fetcher fetcher;

    private Group group;
    private String memberId;
    private Set<String> subscription = Set.of();
    private RebalanceListener listener = RebalanceListener.NONE;
    private boolean closed;
    private volatile boolean brokerClosed;

    EmbeddedConsumer(
            Log log,
            OffsetStore offsets,
            GroupCoordinator coordinator,
            ConsumerConfig config,
            java.util.function.Consumer<EmbeddedConsumer> onClose) {
        this.log = log;
        this.offsets = offsets;
        this.coordinator = coordinator;
        this.config = config;
        this.onClose = onClose;
        this.fetcher = new Fetcher(config, wake);
    }

    @Override
    public void subscribe(Collection<String> topics, RebalanceListener listener) {
        ensureOpen();
        if (config.groupId() == null) {
            throw new IllegalStateException("subscribe needs a consumer group: create the consumer with"
                    + " ConsumerConfig.group(\"my-group\"), or use assign() to pick partitions yourself.");
        }
        for (String topic : topics) {
            topicOrThrow(topic);
        }
        leaveGroup();
        fetcher.unassignAll();
        this.subscription = Set.copyOf(topics);
        this.listener = listener;
        this.group = coordinator.group(config.groupId(), this::partitionCount);
        this.memberId = coordinator.newMemberId(config.groupId());
        group.join(memberId, subscription, wake, config.maxPollIntervalMs());
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        ensureOpen();
        leaveGroup();
        fetcher.unassignAll();
        for (TopicPartition tp : partitions) {
            PartitionLog p = partitionOrThrow(tp);
            fetcher.assign(tp, p, initialPosition(tp, p));
        }
    }

    @Override
    public Set<TopicPartition> assignment() {
        return new TreeSet<>(fetcher.assigned());
    }

    @Override
    public List<ConsumedEvent> poll(Duration timeout) {
        ensureOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        long heartbeatNanos =
                TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(1000, config.maxPollIntervalMs() / 3)));
        while (true) {
            if (wakeupRequested.getAndSet(false)) {
                throw new WakeupException("poll was interrupted by wakeup()");
            }
            waker.reset();
            if (group != null) {
                reconcile();
            }
            List<ConsumedEvent> events = fetcher.fetch(this::positionDeleted);
            if (!events.isEmpty()) {
                return events;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return List.of();
            }
            if (brokerClosed) {
                throw new BrokerUnavailableException("The broker was closed.");
            }
            waker.await(group == null ? remaining : Math.min(remaining, heartbeatNanos));
        }
    }

    /** Brings owned partitions in line with the group's target: revoke first, then take what is free. */
    private void reconcile() {
        Group.Membership membership = group.heartbeat(memberId);
        if (membership == null) {
            Set<TopicPartition> lost = fetcher.assigned();
            fetcher.unassignAll();
            if (!lost.isEmpty()) {
                listener.onPartitionsLost(lost);
            }
            memberId = coordinator.newMemberId(config.groupId());
            group.join(memberId, subscription, wake, config.maxPollIntervalMs());
            membership = group.heartbeat(memberId);
        }
        Set<TopicPartition> owned = fetcher.assigned();
        Set<TopicPartition> revoke = new TreeSet<>(owned);
        revoke.removeAll(membership.target());
        if (!revoke.isEmpty()) {
            listener.onPartitionsRevoked(revoke);
            revoke.forEach(fetcher::unassign);
            group.release(memberId, revoke);
        }
        List<TopicPartition> acquired = new ArrayList<>();
        for (TopicPartition tp : new TreeSet<>(membership.target())) {
            if (!owned.contains(tp) && group.tryAcquire(memberId, tp)) {
                PartitionLog p = partitionOrThrow(tp);
                fetcher.assign(tp, p, initialPosition(tp, p));
                acquired.add(tp);
            }
        }
        if (!acquired.isEmpty()) {
            listener.onPartitionsAssigned(acquired);
        }
    }

    private long initialPosition(TopicPartition tp, PartitionLog p) {
        Long committed = config.groupId() == null ? null : offsets.committed(config.groupId(), tp);
        if (committed != null && committed >= p.logStartOffset() && committed <= p.highWatermark()) {
            return committed;
        }
        if (committed != null && committed < p.logStartOffset()) {
            warnDeleted(tp, committed, p.logStartOffset());
        }
        return resetPosition(tp, p);
    }

    /** The position fell out of the log while reading: retention deleted what was not read yet. */
    private long positionDeleted(TopicPartition tp, PartitionLog p) {
        long from = fetcher.position(tp);
        long to = resetPosition(tp, p);
        if (from < p.logStartOffset()) {
            warnDeleted(tp, from, p.logStartOffset());
        }
        return to;
    }

    /** Events a consumer had not read were deleted: never silently (the stage's results would be short). */
    private void warnDeleted(TopicPartition tp, long from, long logStart) {
        System.getLogger("dev.sluice.broker")
                .log(
                        System.Logger.Level.WARNING,
                        "offsets " + from + " to " + (logStart - 1) + " of " + tp + " were deleted by retention before "
                                + (config.groupId() == null ? "this consumer" : "group " + config.groupId())
                                + " read them (" + (logStart - from) + " events); reading goes on from offset "
                                + logStart + ". Keep the topic longer (retention.ms, retention.bytes) than its readers"
                                + " may fall behind.");
    }

    /** Where to go without a usable committed offset, per {@link ConsumerConfig#offsetReset()}. */
    private long resetPosition(TopicPartition tp, PartitionLog p) {
        if (config.offsetReset() == OffsetReset.NONE) {
            throw new dev.sluice.broker.OffsetOutOfRangeException(
                    "No valid offset for " + tp + " and offsetReset is" + " NONE: seek to a position first.");
        }
        return config.offsetReset() == OffsetReset.EARLIEST ? p.logStartOffset() : p.highWatermark();
    }

    @Override
    public void commitSync() {
        commitSync(fetcher.positions());
    }

    @Override
    public void commitSync(Map<TopicPartition, Long> toCommit) {
        try {
            commit(toCommit).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw Errors.translate(e);
        }
    }

    @Override
    public void commitAsync(CommitCallback callback) {
        Map<TopicPartition, Long> positions = fetcher.positions();
        commit(positions)
                .whenComplete(
                        (v, error) -> callback.onComplete(positions, error == null ? null : Errors.translate(error)));
    }

    private java.util.concurrent.CompletableFuture<Void> commit(Map<TopicPartition, Long> toCommit) {
        ensureOpen();
        if (config.groupId() == null) {
            throw new IllegalStateException(
                    "commit needs a consumer group: create the consumer with" + " ConsumerConfig.group(\"my-group\").");
        }
        if (group != null) {
            for (TopicPartition tp : toCommit.keySet()) {
                if (!group.owns(memberId, tp)) {
                    throw new CommitFailedException("Cannot commit " + tp + " for group " + config.groupId()
                            + ": the group rebalanced and this consumer no longer owns the partition. Its events"
                            + " will be read again by the new owner from the last committed offset.");
                }
            }
        }
        return offsets.commit(config.groupId(), Map.copyOf(toCommit));
    }

    @Override
    public Map<TopicPartition, Long> committed(Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (config.groupId() != null) {
            for (TopicPartition tp : partitions) {
                Long c = offsets.committed(config.groupId(), tp);
                if (c != null) {
                    out.put(tp, c);
                }
            }
        }
        return out;
    }

    @Override
    public long position(TopicPartition tp) {
        return fetcher.position(tp);
    }

    @Override
    public void seek(TopicPartition tp, long offset) {
        PartitionLog p = fetcher.log(tp);
        if (offset < p.logStartOffset() || offset > p.highWatermark()) {
            throw dev.sluice.broker.OffsetOutOfRangeException.seek(tp, offset, p.logStartOffset(), p.highWatermark());
        }
        fetcher.seek(tp, offset);
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> fetcher.seek(tp, fetcher.log(tp).logStartOffset()));
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> fetcher.seek(tp, fetcher.log(tp).highWatermark()));
    }

    @Override
    public void seekToTimestamp(Collection<TopicPartition> partitions, long timestamp) {
        for (TopicPartition tp : partitions) {
            PartitionLog p = fetcher.log(tp);
            fetcher.seek(
                    tp, p.offsetForTimestamp(timestamp).map(t -> t.offset()).orElse(p.highWatermark()));
        }
    }

    @Override
    public void wakeup() {
        wakeupRequested.set(true);
        waker.wake();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!brokerClosed) {
            leaveGroup();
        }
        fetcher.unassignAll();
        closed = true;
        onClose.accept(this);
    }

    void markBrokerClosed() {
        brokerClosed = true;
        waker.wake();
    }

    private void leaveGroup() {
        if (group != null) {
            Set<TopicPartition> owned = new LinkedHashSet<>(fetcher.assigned());
            if (!owned.isEmpty()) {
                try {
                    listener.onPartitionsRevoked(owned);
                } finally {
                    fetcher.unassignAll();
                    group.leave(memberId);
                }
            } else {
                group.leave(memberId);
            }
            group = null;
            memberId = null;
        }
    }

    private int partitionCount(String topic) {
        return log.findTopic(topic).map(Topic::partitionCount).orElse(0);
    }

    private Topic topicOrThrow(String topic) {
        try {
            return log.topic(topic);
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    private PartitionLog partitionOrThrow(TopicPartition tp) {
        try {
            return log.topic(tp.topic()).partition(tp.partition());
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new BrokerException("The consumer is closed.");
        }
    }

    String memberId() {
        return memberId;
    }
}
