package dev.sluice.stream.runtime;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a stage task's outputs and consumed offsets reach the broker, batch by batch: {@link #begin}, {@link #send}
 * the batch's outputs and dead letters, then {@link #complete}. Owned by the task's thread.
 */
interface Delivery extends AutoCloseable {
    void begin();

    CompletableFuture<?> send(String topic, Event event);

    /**
     * Waits for the sends, then commits the batch's offsets. Returns false if the batch was not committed and will be
     * read again (the group moved a partition, or a transaction was aborted).
     */
    boolean complete(List<ConsumedEvent> batch, List<CompletableFuture<?>> sends);

    @Override
    default void close() {}
}
