package dev.sluice.broker;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes events. Sends are asynchronous and batched; the future completes when the broker has acknowledged the
 * event (for the embedded log: appended, and fsynced if the topic's {@code flush.policy} is {@code always}). Events
 * with a key go to the partition Kafka's default partitioner would choose ({@link KeyPartitioner}); events without a
 * key stick to one partition per batch. Thread-safe.
 */
public interface Producer extends AutoCloseable {
    /**
     * Sends to the partition chosen by the key. Errors (unknown topic, event too large, broker closed) complete the
     * future exceptionally with a {@link BrokerException}.
     */
    CompletableFuture<SendResult> send(String topic, Event event);

    /**
     * Sends without a future, for callers that only need to know, after {@link #flush}, whether every send succeeded:
     * {@code callback} gets null on success or the error, on a producer thread. Cheaper than {@link #send(String,
     * Event)} when sending many events.
     */
    default void send(String topic, Event event, SendCallback callback) {
        send(topic, event).whenComplete((result, error) -> callback.onCompletion(error));
    }

    /** Sends to a given partition. */
    CompletableFuture<SendResult> send(TopicPartition partition, Event event);

    /** Blocks until every event sent before this call is acknowledged or failed. */
    void flush();

    /** Flushes, then releases the producer. */
    @Override
    void close();

    /** Told when a send is acknowledged (null) or failed (the error). */
    @FunctionalInterface
    interface SendCallback {
        void onCompletion(Throwable error);
    }
}
