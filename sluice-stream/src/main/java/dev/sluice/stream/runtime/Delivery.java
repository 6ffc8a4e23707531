package dev.sluice.stream.runtime;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.TopicPartition;
import java.util.List;

/**
 * How a stage task's outputs and consumed offsets reach the broker, batch by batch: {@link #begin}, {@link #send}
 * the batch's outputs and dead letters, then {@link #complete}. Sends take no future each: the batch is complete when
 * the producer has flushed, and a failed send fails the batch. Owned by the task's thread.
 */
interface Delivery extends AutoCloseable {
    void begin();

    void send(String topic, Event event);

    /** Sends to one partition (a changelog's), with the batch. */
    void send(TopicPartition partition, Event event);

    /**
     * Waits for the sends, then commits the batch's offsets. Returns false if the batch was not committed and will be
     * read again (the group moved a partition, or a transaction was aborted).
     *
     * @throws java.util.concurrent.CompletionException if a send failed (at-least-once: the task stops)
     */
    boolean complete(List<ConsumedEvent> batch);

    /**
     * Whether the last batch's offsets could not be committed and are still owed: committed with the next batch, or,
     * when no batch comes (the input has ended), by {@link #complete} with no batch while the task is idle.
     */
    default boolean owesCommit() {
        return false;
    }

    @Override
    default void close() {}
}
