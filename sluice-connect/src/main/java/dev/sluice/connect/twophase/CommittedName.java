package dev.sluice.connect.twophase;

import dev.sluice.broker.TopicPartition;
import java.util.Arrays;

/**
 * What the name of a two-phase sink's file or directory tells: the input partition it holds events of, and the last
 * offset (or the first, while in progress). Names are {@code <prefix><topic>-<partition>-<first>[-<last>]<suffix>}.
 */
public record CommittedName(TopicPartition partition, long last) {
    /**
     * @param offsets how many offsets end the name (1 in progress, 2 prepared)
     * @return null for a name of another form
     */
    public static CommittedName parse(String name, String prefix, String suffix, int offsets) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix)) {
            return null;
        }
        String[] parts =
                name.substring(prefix.length(), name.length() - suffix.length()).split("-");
        int numbers = offsets + 1;
        if (parts.length <= numbers) {
            return null;
        }
        try {
            int partition = Integer.parseInt(parts[parts.length - numbers]);
            long last = Long.parseLong(parts[parts.length - 1]);
            String topic = String.join("-", Arrays.copyOf(parts, parts.length - numbers));
            return new CommittedName(new TopicPartition(topic, partition), last);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Whether the group's committed offset covers this prepared output: it was prepared and then committed (and the
     * crash came before it was published), so it is published; otherwise its events are read again.
     *
     * @param committed the partition's committed offset, null for none
     */
    public boolean committedBy(Long committed) {
        return committed != null && committed > last;
    }

    /** The name of a partition's output from {@code first} (in progress). */
    public static String inProgress(String prefix, TopicPartition p, long first, String suffix) {
        return prefix + p.topic() + "-" + p.partition() + "-" + first + suffix;
    }

    /** The name of a partition's output from {@code first} to {@code last} (prepared). */
    public static String prepared(String prefix, TopicPartition p, long first, long last, String suffix) {
        return prefix + p.topic() + "-" + p.partition() + "-" + first + "-" + last + suffix;
    }
}
