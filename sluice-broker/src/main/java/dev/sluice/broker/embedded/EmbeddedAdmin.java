package dev.sluice.broker.embedded;

import dev.sluice.broker.Admin;
import dev.sluice.broker.GroupDescription;
import dev.sluice.broker.GroupDescription.PartitionLag;
import dev.sluice.broker.InvalidTopicException;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.TopicDescription;
import dev.sluice.broker.TopicDescription.PartitionInfo;
import dev.sluice.broker.TopicPartition;
import dev.sluice.log.Log;
import dev.sluice.log.PartitionLog;
import dev.sluice.log.Topic;
import dev.sluice.log.config.TopicConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/** Administration of the embedded broker, straight on the log. Thread-safe. */
final class EmbeddedAdmin implements Admin {
    private final Log log;
    private final OffsetStore offsets;
    private final GroupCoordinator groups;

    EmbeddedAdmin(Log log, OffsetStore offsets, GroupCoordinator groups) {
        this.log = log;
        this.offsets = offsets;
        this.groups = groups;
    }

    @Override
    public void createTopic(NewTopic topic) {
        refuseInternal(topic.name(), "created");
        topic.replicationFactor(); // checked, then ignored: the log keeps one copy
        translate(() -> log.createTopic(topic.name(), topic.partitions(), TopicConfig.of(topic.logConfig())));
    }

    @Override
    public List<String> listTopics(boolean includeInternal) {
        return log.topics().stream()
                .map(Topic::name)
                .filter(n -> includeInternal || !n.startsWith("_"))
                .toList();
    }

    @Override
    public TopicDescription describeTopic(String name) {
        Topic topic = translate(() -> log.topic(name));
        List<PartitionInfo> partitions = new ArrayList<>();
        for (PartitionLog p : topic.partitions()) {
            partitions.add(new PartitionInfo(p.partition(), p.logStartOffset(), p.highWatermark(), p.sizeInBytes()));
        }
        return new TopicDescription(name, partitions, topic.config().toMap());
    }

    @Override
    public void deleteTopic(String name) {
        refuseInternal(name, "deleted");
        translate(() -> {
            log.topic(name);
            offsets.forgetTopic(name);
            log.deleteTopic(name);
            return null;
        });
    }

    @Override
    public void alterTopicConfig(String name, Map<String, String> changes) {
        refuseInternal(name, "altered");
        translate(() -> log.alterTopic(name, new NewTopic(name, 1, changes).logConfig()));
    }

    @Override
    public List<String> listGroups() {
        Set<String> all = new TreeSet<>(offsets.groups());
        all.addAll(groups.groupsWithMembers());
        return new ArrayList<>(all);
    }

    @Override
    public GroupDescription describeGroup(String groupId) {
        Group group = groups.find(groupId);
        Map<TopicPartition, Long> committed = offsets.committed(groupId);
        // every partition of the topics it reads: one it has not committed on yet still has events for it
        Set<TopicPartition> all = new TreeSet<>(committed.keySet());
        for (String topic : committed.keySet().stream()
                .map(TopicPartition::topic)
                .distinct()
                .toList()) {
            log.findTopic(topic).ifPresent(t -> {
                for (int p = 0; p < t.partitionCount(); p++) {
                    all.add(new TopicPartition(topic, p));
                }
            });
        }
        List<PartitionLag> lags = new ArrayList<>();
        for (TopicPartition tp : all) {
            PartitionLog p = log.findTopic(tp.topic())
                    .filter(t -> tp.partition() < t.partitionCount())
                    .map(t -> t.partitions().get(tp.partition()))
                    .orElse(null);
            if (p == null) {
                continue;
            }
            long c = committed.getOrDefault(tp, -1L);
            long end = p.highWatermark();
            long from = Math.max(c, p.logStartOffset());
            lags.add(new PartitionLag(tp, c, end, Math.max(0, end - from), group == null ? null : group.ownerOf(tp)));
        }
        return new GroupDescription(groupId, group == null ? List.of() : group.memberIds(), lags);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsetsOf(partitions, PartitionLog::highWatermark);
    }

    @Override
    public Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions) {
        return offsetsOf(partitions, PartitionLog::logStartOffset);
    }

    private Map<TopicPartition, Long> offsetsOf(Collection<TopicPartition> partitions, Function<PartitionLog, Long> f) {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            out.put(tp, f.apply(translate(() -> log.topic(tp.topic()).partition(tp.partition()))));
        }
        return out;
    }

    /** Whether a topic belongs to the broker: its name starts with "__" ({@value OffsetStore#TOPIC}). */
    static boolean isInternal(String name) {
        return name.startsWith("__");
    }

    private static void refuseInternal(String name, String what) {
        if (isInternal(name)) {
            throw new InvalidTopicException("Topic names starting with '__' are reserved for Sluice's internal topics;"
                    + " '" + name + "' cannot be " + what + ". Choose a name without the leading underscores.");
        }
    }

    private static <T> T translate(Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw Errors.translate(e);
        }
    }
}
