package dev.sluice.broker;

import java.util.Comparator;

/** A partition of a topic. */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    @Override
    public int compareTo(TopicPartition o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return topic + "/" + partition;
    }
}
