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

    /** {@code topic/partition}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return topic + "/" + partition;
    }

    /**
     * Reads {@code topic/partition} (the topic may hold slashes).
     *
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static TopicPartition parse(String text) {
        int slash = text.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not topic/partition: '" + text + "'");
        }
        return new TopicPartition(text.substring(0, slash), Integer.parseInt(text.substring(slash + 1)));
    }
}
