package dev.sluice.broker;

import java.util.Collection;

/**
 * Told when a group consumer's partitions change. Called on the consumer's thread, inside {@code poll}, so the
 * consumer may be used in the callback (to commit before partitions move away, for example).
 */
public interface RebalanceListener {
    RebalanceListener NONE = new RebalanceListener() {};

    /** These partitions are about to move to another member: commit what was processed. */
    default void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

    /** These partitions now belong to this consumer; reading starts at the group's committed offsets. */
    default void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    /**
     * These partitions were taken away without a chance to commit (the consumer did not poll within {@code
     * maxPollIntervalMs}). By default the same as a revoke.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }
}
