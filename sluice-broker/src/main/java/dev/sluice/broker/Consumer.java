package dev.sluice.broker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads events, either as a member of a consumer group ({@link #subscribe}) that shares partitions with the other
 * members, or from partitions it picks itself ({@link #assign}). Positions start at the group's committed offsets, or
 * where {@link ConsumerConfig#offsetReset()} says. Not thread-safe: one thread owns a consumer; only {@link #wakeup()}
 * may be called from another.
 */
public interface Consumer extends AutoCloseable {
    /**
     * Joins the configured group for these topics; partitions are assigned (and reassigned as members come and go)
     * inside {@link #poll}.
     *
     * @throws IllegalStateException if the consumer has no group id
     * @throws UnknownTopicException if a topic does not exist
     */
    void subscribe(Collection<String> topics, RebalanceListener listener);

    default void subscribe(Collection<String> topics) {
        subscribe(topics, RebalanceListener.NONE);
    }

    /** Reads exactly these partitions, with no group membership. */
    void assign(Collection<TopicPartition> partitions);

    /** The partitions this consumer reads now. */
    Set<TopicPartition> assignment();

    /**
     * Returns the next events of the assigned partitions, waiting up to {@code timeout} for some to arrive (without
     * spinning). Group rebalances happen here, with their callbacks.
     *
     * @throws WakeupException if {@link #wakeup()} was called
     * @throws CorruptDataException if stored data fails its checksum
     */
    List<ConsumedEvent> poll(Duration timeout);

    /**
     * Commits the current positions of all assigned partitions and waits until the commit is durable.
     *
     * @throws CommitFailedException if the group moved a partition to another member, or (on Kafka) is rebalancing
     *     right now: poll, and commit again
     */
    void commitSync();

    /**
     * Commits these offsets (the offset of the next event to read, as in Kafka) and waits.
     *
     * @throws CommitFailedException if the group moved a partition to another member
     */
    void commitSync(Map<TopicPartition, Long> offsets);

    /** Commits the current positions in the background; {@code callback} gets null or the error. */
    void commitAsync(CommitCallback callback);

    /** The group's committed offsets for these partitions; absent ones have none. */
    Map<TopicPartition, Long> committed(Set<TopicPartition> partitions);

    /** The offset of the next event {@link #poll} will return from this partition. */
    long position(TopicPartition partition);

    void seek(TopicPartition partition, long offset);

    void seekToBeginning(Collection<TopicPartition> partitions);

    void seekToEnd(Collection<TopicPartition> partitions);

    /** Moves to the first event at or after {@code timestamp}, or to the end if there is none. */
    void seekToTimestamp(Collection<TopicPartition> partitions, long timestamp);

    /** Makes a blocked or the next {@link #poll} throw {@link WakeupException}. Thread-safe. */
    void wakeup();

    /** Leaves the group (revoking its partitions, so the others take them over) and releases the consumer. */
    @Override
    void close();

    /** Result of {@link #commitAsync}. */
    @FunctionalInterface
    interface CommitCallback {
        /** @param error null on success */
        void onComplete(Map<TopicPartition, Long> offsets, Throwable error);
    }
}
