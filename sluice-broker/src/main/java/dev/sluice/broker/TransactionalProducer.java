package dev.sluice.broker;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes the results of a batch and commits the consumer offsets it read in one atomic step: a {@code
 * read_committed} consumer sees either all of a transaction's events or none, and the group's offsets move only with
 * them (exactly-once from topic to topic). One thread owns it: {@link #begin}, {@link #send} any number of times,
 * then {@link #commit} or {@link #abort}.
 */
public interface TransactionalProducer extends AutoCloseable {
    void begin();

    /** Sends within the open transaction; the future completes when the event is written (not yet visible). */
    CompletableFuture<SendResult> send(String topic, Event event);

    /**
     * Sends within the open transaction without a future; {@code callback} gets null or the error. A failed send makes
     * {@link #commit} fail.
     */
    void send(String topic, Event event, Producer.SendCallback callback);

    /** Sends to a given partition within the open transaction; {@code callback} gets null or the error. */
    void send(TopicPartition partition, Event event, Producer.SendCallback callback);

    /**
     * Commits the transaction together with these offsets (the next offset to read per partition) of {@code
     * consumer}'s group.
     *
     * @throws CommitFailedException if the group moved a partition away or a newer producer took over: the
     *     transaction is aborted; read the batch again from the committed offsets
     */
    void commit(Map<TopicPartition, Long> offsets, Consumer consumer);

    /** Drops everything sent since {@link #begin}. */
    void abort();

    @Override
    void close();
}
