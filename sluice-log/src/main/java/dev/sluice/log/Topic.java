package dev.sluice.log;

import dev.sluice.log.config.TopicConfig;
import java.util.List;

/** A named set of partitions sharing one configuration. Immutable; its partitions are thread-safe. */
public final class Topic {
    private final String name;
    private final TopicConfig config;
    private final List<PartitionLog> partitions;

    public Topic(String name, TopicConfig config, List<? extends PartitionLog> partitions) {
        this.name = name;
        this.config = config;
        this.partitions = List.copyOf(partitions);
    }

    public String name() {
        return name;
    }

    public TopicConfig config() {
        return config;
    }

    public int partitionCount() {
        return partitions.size();
    }

    public List<PartitionLog> partitions() {
        return partitions;
    }

    /**
     * @throws UnknownPartitionException if the topic has no such partition
     */
    public PartitionLog partition(int partition) {
        if (partition < 0 || partition >= partitions.size()) {
            throw new UnknownPartitionException(
                    "Partition " + partition + " does not exist: topic " + name + " has " + partitions.size()
                            + (partitions.size() == 1
                                    ? " partition (0)."
                                    : " partitions (0-" + (partitions.size() - 1) + ")."));
        }
        return partitions.get(partition);
    }

    @Override
    public String toString() {
        return "Topic[" + name + ", partitions=" + partitions.size() + "]";
    }
}
