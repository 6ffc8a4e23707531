package dev.sluice.broker;

import java.util.List;

/** A consumer group: its live members and, per partition, its committed offset and lag. */
public record GroupDescription(String group, List<String> members, List<PartitionLag> partitions) {
    public GroupDescription {
        members = List.copyOf(members);
        partitions = List.copyOf(partitions);
    }

    public long totalLag() {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }

    /**
     * @param committed the group's committed offset, or -1 if none
     * @param lag events between the committed offset (or the start, if none) and the end
     * @param owner the member holding the partition, or null
     */
    public record PartitionLag(TopicPartition topicPartition, long committed, long endOffset, long lag, String owner) {}
}
