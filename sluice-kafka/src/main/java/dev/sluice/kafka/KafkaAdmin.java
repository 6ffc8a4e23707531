package dev.sluice.kafka;

import static dev.sluice.kafka.KafkaRecords.kafka;
import static dev.sluice.kafka.KafkaRecords.sluice;

import dev.sluice.broker.Admin;
import dev.sluice.broker.GroupDescription;
import dev.sluice.broker.GroupDescription.PartitionLag;
import dev.sluice.broker.InvalidTopicException;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.TopicDescription;
import dev.sluice.broker.TopicDescription.PartitionInfo;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.UnknownTopicException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Topic and group administration on a Kafka cluster. Topics whose names start with {@code _} are internal: Kafka's
 * ({@code __consumer_offsets}) and Sluice's ({@code _sluice...}). Thread-safe.
 */
final class KafkaAdmin implements Admin {
    private static final long TIMEOUT_S = 60;
    private final org.apache.kafka.clients.admin.Admin admin;
    private final TopicCatalog topics;
    private final KafkaUrl url;

    KafkaAdmin(org.apache.kafka.clients.admin.Admin admin, TopicCatalog topics, KafkaUrl url) {
        this.admin = admin;
        this.topics = topics;
        this.url = url;
    }

    @Override
    public void createTopic(NewTopic topic) {
        refuseInternal(topic.name(), "created");
        var kafkaTopic = TopicSettings.toKafka(topic);
        call(
                "creating topic " + topic.name(),
                () -> admin.createTopics(List.of(kafkaTopic)).all().get(TIMEOUT_S, TimeUnit.SECONDS));
        awaitLeaders(topic.name());
    }

    /**
     * Waits until every partition of a new topic has a leader. The controller answers before the brokers have taken
     * the new partitions on; a produce request in between is refused (NOT_LEADER_OR_FOLLOWER), and an idempotent
     * producer's later batches to that partition then fail with out-of-order sequence numbers.
     */
    private void awaitLeaders(String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            boolean ready;
            try {
                ready = call(
                        "waiting for the partitions of " + name + " to have leaders",
                        () -> admin
                                .describeTopics(List.of(name))
                                .allTopicNames()
                                .get(TIMEOUT_S, TimeUnit.SECONDS)
                                .get(name)
                                .partitions()
                                .stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            } catch (UnknownTopicException e) {
                ready = false; // the broker asked has not heard of the new topic yet
            }
            if (ready && leadersAnswer(name)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Whether the leader of every partition answers for it: the metadata names a leader before that broker has taken
     * the partition over, and a producer that writes to it then gets NOT_LEADER_OR_FOLLOWER and, idempotent, can stay
     * stuck retrying out-of-order sequences until its delivery timeout (seen on Kafka 4.4 right after creation).
     */
    private boolean leadersAnswer(String name) {
        try {
            List<TopicPartition> all = new ArrayList<>();
            topics.describe(name).partitions().forEach(p -> all.add(new TopicPartition(name, p.partition())));
            endOffsets(all);
            return true;
        } catch (dev.sluice.broker.BrokerUnavailableException | UnknownTopicException e) {
            return false;
        }
    }

    @Override
    public List<String> listTopics(boolean includeInternal) {
        Set<String> names = call(
                "listing topics",
                () -> admin.listTopics(new ListTopicsOptions().listInternal(true))
                        .names()
                        .get(TIMEOUT_S, TimeUnit.SECONDS));
        return names.stream()
                .filter(n -> includeInternal || !n.startsWith("_"))
                .sorted()
                .toList();
    }

    @Override
    public TopicDescription describeTopic(String name) {
        var description = topics.describe(name);
        List<TopicPartition> partitions = new ArrayList<>();
        description.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition())));
        Map<TopicPartition, Long> starts = startOffsets(partitions);
        Map<TopicPartition, Long> ends = endOffsets(partitions);
        List<PartitionInfo> infos = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            infos.add(new PartitionInfo(tp.partition(), starts.get(tp), ends.get(tp), -1));
        }
        return new TopicDescription(name, infos, config(name));
    }

    /** The settings given to this topic (not the cluster's defaults). */
    private Map<String, String> config(String name) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        var config = call(
                "reading the config of topic " + name,
                () -> admin.describeConfigs(List.of(resource))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS)
                        .get(resource));
        Map<String, String> out = new TreeMap<>();
        for (ConfigEntry e : config.entries()) {
            if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                out.put(e.name(), e.value());
            }
        }
        return out;
    }

    @Override
    public void deleteTopic(String name) {
        refuseInternal(name, "deleted");
        topics.describe(name);
        call(
                "deleting topic " + name,
                () -> admin.deleteTopics(List.of(name)).all().get(TIMEOUT_S, TimeUnit.SECONDS));
        topics.forget(name);
    }

    @Override
    public void alterTopicConfig(String name, Map<String, String> changes) {
        refuseInternal(name, "altered");
        topics.describe(name);
        List<org.apache.kafka.clients.admin.AlterConfigOp> ops = new ArrayList<>();
        TopicSettings.configs(new NewTopic(name, 1, changes))
                .forEach((k, v) -> ops.add(new org.apache.kafka.clients.admin.AlterConfigOp(
                        new ConfigEntry(k, v), org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
        call(
                "changing the settings of topic " + name,
                () -> admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, name), ops))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS));
        topics.forget(name); // described again with its new settings
    }

    @Override
    public List<String> listGroups() {
        Collection<GroupListing> groups = call(
                "listing groups",
                () -> admin.listGroups(ListGroupsOptions.forConsumerGroups())
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS));
        return groups.stream().map(GroupListing::groupId).sorted().toList();
    }

    @Override
    public GroupDescription describeGroup(String group) {
        Map<TopicPartition, String> owners = new HashMap<>();
        List<String> members = new ArrayList<>();
        for (MemberDescription m : groupMembers(group)) {
            members.add(m.consumerId());
            m.assignment().topicPartitions().forEach(tp -> owners.put(sluice(tp), m.consumerId()));
        }
        Map<TopicPartition, Long> committed = new TreeMap<>();
        call(
                        "reading the offsets of group " + group,
                        () -> admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get(TIMEOUT_S, TimeUnit.SECONDS))
                .forEach((tp, o) -> {
                    if (o != null) {
                        committed.put(sluice(tp), o.offset());
                    }
                });
        Set<TopicPartition> all = new TreeSet<>(committed.keySet());
        all.addAll(owners.keySet());
        // every partition of the topics it reads: one it has not committed on yet still has events for it
        for (String topic : committed.keySet().stream()
                .map(TopicPartition::topic)
                .distinct()
                .toList()) {
            int partitions = topics.describe(topic).partitions().size();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
        }
        Map<TopicPartition, Long> ends = endOffsets(all);
        Map<TopicPartition, Long> starts = startOffsets(all);
        List<PartitionLag> lags = new ArrayList<>();
        for (TopicPartition tp : all) {
            long c = committed.getOrDefault(tp, -1L);
            long end = ends.get(tp);
            lags.add(new PartitionLag(tp, c, end, end - (c < 0 ? starts.get(tp) : c), owners.get(tp)));
        }
        return new GroupDescription(group, members, lags);
    }

    /**
     * The group's live members; none for a group the coordinator does not know yet (one that has not joined or
     * committed), as on the embedded broker, so a caller polling a just-started group sees "no progress yet".
     */
    private Collection<MemberDescription> groupMembers(String group) {
        return call("describing group " + group, () -> {
            try {
                return admin.describeConsumerGroups(List.of(group))
                        .all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS)
                        .get(group)
                        .members();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupIdNotFoundException) {
                    return List.<MemberDescription>of();
                }
                throw e;
            }
        });
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.latest());
    }

    @Override
    public Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.earliest());
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<org.apache.kafka.common.TopicPartition, OffsetSpec> query = new HashMap<>();
        partitions.forEach(tp -> query.put(kafka(tp), spec));
        var result =
                call("reading offsets", () -> admin.listOffsets(query).all().get(TIMEOUT_S, TimeUnit.SECONDS));
        Map<TopicPartition, Long> out = new HashMap<>();
        result.forEach((tp, info) -> out.put(sluice(tp), info.offset()));
        return out;
    }

    private static void refuseInternal(String name, String what) {
        if (name.startsWith("__")) {
            throw new InvalidTopicException("Topic names starting with '__' are reserved for Kafka's internal topics;"
                    + " '" + name + "' cannot be " + what + ".");
        }
    }

    private <T> T call(String what, Callable<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KafkaErrors.translate(e, what, url);
        } catch (Exception e) {
            throw KafkaErrors.translate(e, what, url);
        }
    }
}
