package dev.sluice.connect.twophase;

import dev.sluice.broker.TopicPartition;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
     * Which of the prepared outputs found at a restart to publish: for each input partition in {@code committed}, the
     * one with the greatest last offset among those the committed offset covers, the output of the last commit that
     * went through (it was prepared, committed, and not yet published). Every other one of these partitions is to be
     * deleted: one not covered was prepared for a commit that failed, and one covered but older was prepared by a task
     * that had lost the partition without knowing yet, after the next owner had recovered it (its commit failed, and
     * the next owner published the same events in a later output of its own).
     *
     * @param prepared each output's path and parsed name
     * @return the paths to publish
     */
    public static <P> Set<P> toPublish(Map<P, CommittedName> prepared, Map<TopicPartition, Long> committed) {
        Map<TopicPartition, Map.Entry<P, CommittedName>> latest = new HashMap<>();
        for (Map.Entry<P, CommittedName> e : prepared.entrySet()) {
            TopicPartition p = e.getValue().partition();
            Long offset = committed.get(p);
            if (offset != null && offset > e.getValue().last()) {
                latest.merge(p, e, (a, b) -> a.getValue().last() >= b.getValue().last() ? a : b);
            }
        }
        Set<P> out = new HashSet<>();
        latest.values().forEach(e -> out.add(e.getKey()));
        return out;
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
