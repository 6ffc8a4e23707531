package dev.sluice.broker;

/**
 * Where a sent event was stored, once the broker acknowledged it.
 *
 * @param timestamp the event's timestamp as stored
 */
public record SendResult(TopicPartition topicPartition, long offset, long timestamp) {
    public int partition() {
        return topicPartition.partition();
    }
}
