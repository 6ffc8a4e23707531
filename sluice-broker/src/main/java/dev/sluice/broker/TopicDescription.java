package dev.sluice.broker;

import java.util.List;
import java.util.Map;

/** A topic's partitions and effective configuration. */
public record TopicDescription(String name, List<PartitionInfo> partitions, Map<String, String> config) {
    public TopicDescription {
        partitions = List.copyOf(partitions);
        config = Map.copyOf(config);
    }

    /**
     * One partition's extent.
     *
     * @param sizeBytes bytes stored, or -1 when the backend does not say
     */
    public record PartitionInfo(int partition, long startOffset, long endOffset, long sizeBytes) {
        public long events() {
            return endOffset - startOffset;
        }
    }
}
