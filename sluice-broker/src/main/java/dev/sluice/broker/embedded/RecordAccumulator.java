package dev.sluice.broker.embedded;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.Event;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.log.Topic;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-partition queues of open batches. Sending threads append under the queue's lock; the sender thread drains ready
 * batches under the same lock. A batch is ready when a newer one exists behind it, when its linger time has passed, or
 * when a flush or close asks for everything. Thread-safe.
 */
final class RecordAccumulator {
    /** The queues of one topic, indexed by partition, and where its key-less events go now. */
    static final class TopicQueues {
        final Topic topic;
        final TopicPartition[] partitions;
        final List<ArrayDeque<ProducerBatch>> queues;
        final AtomicInteger stickyPartition = new AtomicInteger();

        TopicQueues(Topic topic) {
            this.topic = topic;
            int n = topic.partitionCount();
            this.partitions = new TopicPartition[n];
            List<ArrayDeque<ProducerBatch>> qs = new ArrayList<>(n);
            for (int p = 0; p < n; p++) {
                partitions[p] = new TopicPartition(topic.name(), p);
                qs.add(new ArrayDeque<>());
            }
            this.queues = List.copyOf(qs);
        }
    }

    private final BufferPool pool;
    private final long lingerNanos;
    private final long maxBlockMs;
    private final Map<String, TopicQueues> topics = new ConcurrentHashMap<>();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();

    RecordAccumulator(BufferPool pool, long lingerMs, long maxBlockMs) {
        this.pool = pool;
        this.lingerNanos = lingerMs * 1_000_000L;
        this.maxBlockMs = maxBlockMs;
    }

    /** The queues of a topic; the topic object is refreshed if it was deleted and created again. */
    TopicQueues queues(Topic topic) {
        TopicQueues q = topics.get(topic.name());
        if (q != null && sameLog(q.topic, topic)) {
            return q;
        }
        // atomically: two threads sending to a new topic must end up with the same queues
        return topics.compute(
                topic.name(), (name, old) -> old != null && sameLog(old.topic, topic) ? old : new TopicQueues(topic));
    }

    /**
     * Whether two topic objects are the same topic: an altered topic is (it keeps its partitions, and the batches
     * queued for them), a topic deleted and created again under its name is not.
     */
    private static boolean sameLog(Topic a, Topic b) {
        return a == b || a.partitions().get(0) == b.partitions().get(0);
    }

    /**
     * Adds an event to the partition's open batch, or to a new one.
     *
     * @param maxBatchBytes the topic's limit on one batch
     * @return true if a new batch was started (the sender should be woken)
     */
    boolean append(
            TopicQueues topic, int partition, Event event, CompletableFuture<SendResult> future, int maxBatchBytes)
            throws InterruptedException {
        ArrayDeque<ProducerBatch> queue = topic.queues.get(partition);
        synchronized (queue) {
            ProducerBatch last = queue.peekLast();
            if (last != null && last.tryAppend(event, future)) {
                return false;
            }
        }
        int exactSize = ProducerBatch.sizeAlone(event);
        ByteBuffer buffer = pool.allocate(Math.max(exactSize, pool.poolableSize()), maxBlockMs);
        synchronized (queue) {
            ProducerBatch last = queue.peekLast();
            if (last != null && last.tryAppend(event, future)) {
                pool.release(buffer);
                return false;
            }
            ProducerBatch batch =
                    new ProducerBatch(topic.partitions[partition], buffer, Math.min(buffer.capacity(), maxBatchBytes));
            if (!batch.tryAppend(event, future)) {
                pool.release(buffer);
                throw new BrokerException("internal error: a new batch of " + buffer.capacity()
                        + " bytes cannot hold an event of " + exactSize + " bytes");
            }
            incomplete.add(batch);
            queue.addLast(batch);
            return true;
        }
    }

    /** Takes every ready batch, oldest first per partition. */
    List<ProducerBatch> drain(boolean all) {
        List<ProducerBatch> ready = new ArrayList<>();
        long now = System.nanoTime();
        for (TopicQueues topic : topics.values()) {
            for (ArrayDeque<ProducerBatch> queue : topic.queues) {
                synchronized (queue) {
                    while (!queue.isEmpty()) {
                        ProducerBatch first = queue.peekFirst();
                        if (all || queue.size() > 1 || now - first.createdNanos >= lingerNanos) {
                            first.sealed = true;
                            ready.add(queue.pollFirst());
                        } else {
                            break;
                        }
                    }
                }
            }
        }
        return ready;
    }

    /** Nanoseconds until the oldest waiting batch is ready, or -1 if nothing waits. */
    long nanosUntilReady() {
        long now = System.nanoTime();
        long best = -1;
        for (TopicQueues topic : topics.values()) {
            for (ArrayDeque<ProducerBatch> queue : topic.queues) {
                synchronized (queue) {
                    ProducerBatch first = queue.peekFirst();
                    if (first != null) {
                        long wait = Math.max(0, first.createdNanos + lingerNanos - now);
                        best = best < 0 ? wait : Math.min(best, wait);
                    }
                }
            }
        }
        return best;
    }

    void completed(ProducerBatch batch) {
        incomplete.remove(batch);
    }

    void release(ByteBuffer buffer) {
        pool.release(buffer);
    }

    /** Futures of every batch not yet acknowledged, for flush. */
    List<CompletableFuture<Void>> inFlight() {
        List<CompletableFuture<Void>> out = new ArrayList<>();
        for (ProducerBatch b : incomplete) {
            out.add(b.done);
        }
        return out;
    }

    boolean isEmpty() {
        return incomplete.isEmpty();
    }
}
