package dev.sluice.broker.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.Broker;
import dev.sluice.broker.CommitFailedException;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.GroupDescription;
import dev.sluice.broker.Header;
import dev.sluice.broker.KeyPartitioner;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.OffsetOutOfRangeException;
import dev.sluice.broker.OffsetReset;
import dev.sluice.broker.Producer;
import dev.sluice.broker.ProducerConfig;
import dev.sluice.broker.RebalanceListener;
import dev.sluice.broker.RecordTooLargeException;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicExistsException;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.UnknownTopicException;
import dev.sluice.broker.WakeupException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every broker backend must do the same way, run against each of them: the embedded log and Apache Kafka.
 * Subclasses provide the broker; each test uses topics and groups of its own.
 */
public abstract class BrokerContract {
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** The broker under test, open for the whole test. */
    protected abstract Broker broker();

    /**
     * A new connection to the same broker, as after a restart of the process that uses it; the subclass closes it
     * after the test (and may close the one {@link #broker()} returned before).
     */
    protected abstract Broker reopen();

    /** How long a group may take to settle after a member joins or leaves. */
    protected Duration rebalanceTimeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * A poll interval short enough for a test to wait out, long enough for the backend's group protocol to settle
     * (Kafka's rebalance timeout is the poll interval).
     */
    protected long shortPollIntervalMs() {
        return 1_000;
    }

    protected static String name(String base) {
        return base + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    @Test
    void shouldDeliverKeysValuesHeadersAndTimestampsInOrderPerPartition() throws Exception {
        String topic = name("clicks");
        broker().admin().createTopic(NewTopic.of(topic, 4));
        List<CompletableFuture<SendResult>> sent = new ArrayList<>();
        try (Producer producer = broker().producer()) {
            for (int i = 0; i < 1000; i++) {
                Event e = new Event(
                        bytes("user-" + (i % 17)),
                        bytes("click-" + i),
                        List.of(Header.of("seq", "" + i), new Header("empty", null)),
                        1_000 + i);
                sent.add(producer.send(topic, e));
            }
        }
        for (CompletableFuture<SendResult> f : sent) {
            assertThat(f).succeedsWithin(Duration.ZERO);
        }
        try (Consumer consumer = broker().consumer(ConsumerConfig.defaults())) {
            consumer.assign(partitions(topic, 4));
            List<ConsumedEvent> events = pollUntil(consumer, 1000);
            assertThat(events).hasSize(1000);
            for (ConsumedEvent e : events) {
                int i = Integer.parseInt(e.valueAsString().substring(6));
                assertThat(e.keyAsString()).isEqualTo("user-" + (i % 17));
                assertThat(e.partition()).isEqualTo(KeyPartitioner.partition(bytes("user-" + (i % 17)), 4));
                assertThat(e.headers()).containsExactly(Header.of("seq", "" + i), new Header("empty", null));
                assertThat(e.timestamp()).isEqualTo(1_000 + i);
                assertThat(sent.get(i).get().offset()).isEqualTo(e.offset());
                assertThat(sent.get(i).get().partition()).isEqualTo(e.partition());
            }
            for (int p = 0; p < 4; p++) {
                int partition = p;
                List<Integer> seqs = events.stream()
                        .filter(e -> e.partition() == partition)
                        .map(e -> Integer.parseInt(e.valueAsString().substring(6)))
                        .toList();
                assertThat(seqs).isSorted();
            }
        }
    }

    @Test
    void shouldSpreadKeylessEventsOverPartitions() {
        String topic = name("keyless");
        broker().admin().createTopic(NewTopic.of(topic, 3));
        try (Producer producer = broker().producer(ProducerConfig.defaults().withBatchBytes(4096))) {
            for (int i = 0; i < 3000; i++) {
                producer.send(topic, Event.of((String) null, "v" + i + "x".repeat(100), i));
            }
        }
        Map<TopicPartition, Long> ends = broker().admin().endOffsets(partitions(topic, 3));
        assertThat(ends.values()).allSatisfy(end -> assertThat(end).isGreaterThan(0));
        assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3000);
    }

    @Test
    void shouldFailSendsToUnknownTopicsPartitionsAndOversizedEventsClearly() throws Exception {
        String topic = name("small");
        broker().admin().createTopic(new NewTopic(topic, 1, Map.of("max.message.bytes", "1000")));
        String typo = topic.replace("small", "smal");
        try (Producer producer = broker().producer()) {
            assertThatThrownBy(() -> producer.send(typo, Event.of("k", "v", 1)).get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(UnknownTopicException.class)
                    .hasMessageStartingWith("Topic '" + typo + "' does not exist")
                    .hasMessageEndingWith("Did you mean '" + topic + "'?");
            assertThatThrownBy(() -> producer.send(new TopicPartition(topic, 3), Event.of("k", "v", 1))
                            .get())
                    .cause()
                    .isInstanceOf(UnknownTopicException.class)
                    .hasMessage("Partition 3 does not exist: topic " + topic + " has 1 partitions (0-0).");
            assertThatThrownBy(() -> producer.send(topic, Event.of(null, new byte[2000], 1))
                            .get(60, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(RecordTooLargeException.class);
            // sends after a refused one go through; one at a time, because on Kafka a batch of them would be larger
            // than this topic's 1000-byte limit, and the producer splits a refused batch only down to its batch size
            // (a producer for such a topic needs producer.batch.size below the limit)
            for (int i = 0; i < 100; i++) {
                assertThat(producer.send(topic, Event.of(null, new byte[100], i))
                                .get(30, TimeUnit.SECONDS)
                                .offset())
                        .isEqualTo(i);
            }
        }
        assertThat(broker().admin().describeTopic(topic).partitions().get(0).endOffset())
                .isEqualTo(100);
    }

    @Test
    void shouldCreateDescribeListAndDeleteTopics() {
        String topic = name("orders");
        broker().admin()
                .createTopic(new NewTopic(
                        topic,
                        3,
                        Map.of("retention.ms", "1d", "cleanup.policy", "compact", "replication.factor", "1")));
        assertThat(broker().admin().listTopics(false)).contains(topic);
        var description = broker().admin().describeTopic(topic);
        assertThat(description.partitions()).hasSize(3);
        assertThat(description.config())
                .containsEntry("retention.ms", "86400000")
                .containsEntry("cleanup.policy", "compact");
        assertThatThrownBy(() -> broker().admin().createTopic(NewTopic.of(topic, 1)))
                .isInstanceOf(TopicExistsException.class);
        assertThat(broker().admin().createTopicIfMissing(NewTopic.of(topic, 1))).isFalse();
        broker().admin().deleteTopic(topic);
        await().atMost(rebalanceTimeout())
                .untilAsserted(
                        () -> assertThat(broker().admin().listTopics(false)).doesNotContain(topic));
        assertThatThrownBy(() -> broker().admin().describeTopic(topic)).isInstanceOf(UnknownTopicException.class);
        assertThatThrownBy(() -> broker().admin().deleteTopic(topic)).isInstanceOf(UnknownTopicException.class);
    }

    @Test
    void shouldBlockInPollUntilAnEventArrivesAndWakeUp() throws Exception {
        String topic = name("late");
        broker().admin().createTopic(NewTopic.of(topic, 1));
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (Consumer consumer = broker().consumer(ConsumerConfig.defaults().withOffsetReset(OffsetReset.LATEST));
                Producer producer = broker().producer()) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThat(consumer.poll(Duration.ofMillis(200))).isEmpty();
            later.schedule(() -> producer.send(topic, Event.of("k", "late", 1)), 300, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            List<ConsumedEvent> events = consumer.poll(Duration.ofSeconds(60));
            assertThat(events).extracting(ConsumedEvent::valueAsString).containsExactly("late");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            later.schedule(consumer::wakeup, 100, TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(60))).isInstanceOf(WakeupException.class);
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void shouldSeekToBeginningEndOffsetAndTimestamp() {
        String topic = name("seek");
        broker().admin().createTopic(NewTopic.of(topic, 1));
        try (Producer producer = broker().producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(topic, Event.of("k", "v" + i, 1_000L * i));
            }
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Consumer consumer = broker().consumer(ConsumerConfig.defaults())) {
            consumer.assign(List.of(tp));
            consumer.seekToTimestamp(List.of(tp), 4_500);
            assertThat(pollUntil(consumer, 5).get(0).valueAsString()).isEqualTo("v5");
            consumer.seek(tp, 2);
            assertThat(pollUntil(consumer, 8).get(0).offset()).isEqualTo(2);
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(10);
            assertThat(consumer.poll(Duration.ofMillis(50))).isEmpty();
            consumer.seekToBeginning(List.of(tp));
            assertThat(pollUntil(consumer, 10)).hasSize(10);
            consumer.seekToTimestamp(List.of(tp), 99_999);
            assertThat(consumer.position(tp)).isEqualTo(10);
            assertThatThrownBy(() -> consumer.seek(tp, 11))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessage("Cannot seek " + topic + "/0 to 11: stored offsets are 0 to 10.");
        }
    }

    @Test
    void shouldSharePartitionsRebalanceOnLeaveAndResumeFromCommittedOffsets() {
        String topic = name("orders");
        String group = name("billing");
        broker().admin().createTopic(NewTopic.of(topic, 4));
        produce(broker(), topic, 0, 10_000); // far more than the polls while waiting for rebalances take
        Set<String> seen = new HashSet<>();
        Consumer a = broker().consumer(ConsumerConfig.group(group).withMaxPollEvents(10));
        Consumer b = broker().consumer(ConsumerConfig.group(group).withMaxPollEvents(10));
        a.subscribe(List.of(topic));
        b.subscribe(List.of(topic));
        await().atMost(rebalanceTimeout()).until(() -> {
            pollAndCommit(a, seen);
            pollAndCommit(b, seen);
            return a.assignment().size() == 2 && b.assignment().size() == 2;
        });
        Set<TopicPartition> union = new HashSet<>(a.assignment());
        union.addAll(b.assignment());
        assertThat(union).containsExactlyInAnyOrderElementsOf(partitions(topic, 4));

        b.close(); // leaves: a takes everything
        await().atMost(rebalanceTimeout()).until(() -> {
            pollAndCommit(a, seen);
            return a.assignment().size() == 4;
        });
        long deadline = System.nanoTime() + rebalanceTimeout().toNanos();
        while (seen.size() < 300 && System.nanoTime() < deadline) {
            pollAndCommit(a, seen);
        }
        a.close();
        assertThat(seen.size()).isBetween(300, 9_999); // some left to resume from

        Broker again = reopen();
        produce(again, topic, 10_000, 10_100);
        List<String> after = new ArrayList<>();
        try (Consumer c = again.consumer(ConsumerConfig.group(group))) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + rebalanceTimeout().toNanos();
            while (seen.size() + after.size() < 10_100 && System.nanoTime() < end) {
                for (ConsumedEvent e : c.poll(Duration.ofMillis(100))) {
                    after.add(e.valueAsString());
                }
            }
        }
        // resumed from the committed offsets: nothing consumed twice, nothing lost
        assertThat(after).doesNotContainAnyElementsOf(seen);
        Set<String> all = new HashSet<>(seen);
        all.addAll(after);
        assertThat(all).hasSize(10_100);
    }

    @Test
    void shouldRevokeAPartitionBeforeAnotherMemberGetsIt() {
        String topic = name("t");
        String group = name("g");
        broker().admin().createTopic(NewTopic.of(topic, 2));
        List<String> calls = new CopyOnWriteArrayList<>();
        try (Consumer a = broker().consumer(ConsumerConfig.group(group));
                Consumer b = broker().consumer(ConsumerConfig.group(group))) {
            a.subscribe(List.of(topic), recorder("a", calls));
            await().atMost(rebalanceTimeout()).until(() -> {
                a.poll(Duration.ofMillis(50));
                return a.assignment().size() == 2;
            });
            b.subscribe(List.of(topic), recorder("b", calls));
            await().atMost(rebalanceTimeout()).until(() -> {
                a.poll(Duration.ofMillis(50));
                b.poll(Duration.ofMillis(50));
                return a.assignment().size() == 1 && b.assignment().size() == 1;
            });
            TopicPartition moved = b.assignment().iterator().next();
            assertThat(calls)
                    .containsSubsequence(
                            "a assigned " + partitions(topic, 2),
                            "a revoked [" + moved + "]",
                            "b assigned [" + moved + "]");
            assertThat(calls).doesNotContain("a revoked " + partitions(topic, 2));
        }
    }

    @Test
    void shouldRefuseCommitsOfAMemberThatStoppedPolling() {
        String topic = name("t");
        String group = name("g");
        broker().admin().createTopic(NewTopic.of(topic, 2));
        Consumer slow = broker().consumer(ConsumerConfig.group(group).withMaxPollIntervalMs(shortPollIntervalMs()));
        Consumer live = broker().consumer(ConsumerConfig.group(group).withMaxPollIntervalMs(shortPollIntervalMs()));
        List<String> calls = new CopyOnWriteArrayList<>();
        slow.subscribe(List.of(topic), recorder("slow", calls));
        live.subscribe(List.of(topic));
        await().atMost(rebalanceTimeout()).until(() -> {
            slow.poll(Duration.ofMillis(10));
            live.poll(Duration.ofMillis(10));
            return slow.assignment().size() == 1 && live.assignment().size() == 1;
        });
        TopicPartition slowPartition = slow.assignment().iterator().next();
        await().atMost(rebalanceTimeout()).until(() -> {
            live.poll(Duration.ofMillis(50));
            return live.assignment().size() == 2;
        });
        assertThatThrownBy(() -> slow.commitSync(Map.of(slowPartition, 0L)))
                .isInstanceOf(CommitFailedException.class)
                .hasMessageContaining("no longer owns the partition");
        slow.poll(Duration.ofMillis(10));
        assertThat(calls).contains("slow revoked [" + slowPartition + "]");
        slow.close();
        live.close();
    }

    @Test
    void shouldDescribeAGroupThatHasNotStartedAsEmpty() {
        GroupDescription d = broker().admin().describeGroup(name("not-started"));
        assertThat(d.members()).isEmpty();
        assertThat(d.partitions()).isEmpty();
        assertThat(d.totalLag()).isZero();
    }

    @Test
    void shouldCommitAndDescribeGroupsWithLagPerPartition() {
        String topic = name("t");
        String group = name("reporting");
        broker().admin().createTopic(NewTopic.of(topic, 2));
        produce(broker(), topic, 0, 100);
        try (Consumer c = broker().consumer(ConsumerConfig.group(group).withMaxPollEvents(30))) {
            c.subscribe(List.of(topic));
            List<ConsumedEvent> got = new ArrayList<>();
            await().atMost(rebalanceTimeout()).until(() -> {
                got.addAll(c.poll(Duration.ofMillis(100)));
                return !got.isEmpty();
            });
            c.commitSync();
            Map<TopicPartition, Long> committed = c.committed(Set.copyOf(partitions(topic, 2)));
            for (TopicPartition tp : c.assignment()) {
                assertThat(committed.getOrDefault(tp, 0L)).isEqualTo(c.position(tp));
            }
            GroupDescription d = broker().admin().describeGroup(group);
            assertThat(d.members()).hasSize(1);
            assertThat(d.totalLag()).isEqualTo(100 - got.size());
            assertThat(d.partitions())
                    .allSatisfy(p -> assertThat(p.owner()).isEqualTo(d.members().get(0)));
        }
        assertThat(broker().admin().listGroups()).contains(group);
        await().atMost(rebalanceTimeout())
                .untilAsserted(
                        () -> assertThat(broker().admin().describeGroup(group).members())
                                .isEmpty());
    }

    @Test
    void shouldChangeSomeSettingsOfATopicAndKeepTheOthers() {
        String topic = name("altered");
        broker().admin()
                .createTopic(new NewTopic(topic, 1, Map.of("retention.ms", "86400000", "max.message.bytes", "100000")));
        broker().admin().alterTopicConfig(topic, Map.of("retention.ms", "2592000000"));
        Map<String, String> config = broker().admin().describeTopic(topic).config();
        assertThat(config).containsEntry("retention.ms", "2592000000").containsEntry("max.message.bytes", "100000");
        assertThatThrownBy(() -> broker().admin().alterTopicConfig(topic, Map.of("retention.ms", "forever")))
                .isInstanceOf(dev.sluice.broker.InvalidTopicException.class);
        assertThatThrownBy(() -> broker().admin().alterTopicConfig(name("nope"), Map.of("retention.ms", "1000")))
                .isInstanceOf(dev.sluice.broker.UnknownTopicException.class);
        assertThatThrownBy(() -> broker().admin().alterTopicConfig("__consumer_offsets", Map.of("retention.ms", "1")))
                .isInstanceOf(dev.sluice.broker.InvalidTopicException.class);
    }

    @Test
    void shouldCountTheLagOfPartitionsTheGroupHasNotCommittedOnYet() {
        String topic = name("billing");
        String group = name("billing-group");
        broker().admin().createTopic(NewTopic.of(topic, 4));
        produce(broker(), topic, 0, 40); // keyed k0..k39: spread over the four partitions
        TopicPartition first = new TopicPartition(topic, 0);
        long inFirst = broker().admin().endOffsets(List.of(first)).get(first);
        try (Consumer c = broker().consumer(ConsumerConfig.group(group))) {
            c.assign(List.of(first));
            c.commitSync(Map.of(first, 1L));
        }
        GroupDescription d = broker().admin().describeGroup(group);
        assertThat(d.partitions())
                .extracting(p -> p.topicPartition().partition())
                .containsExactly(0, 1, 2, 3);
        assertThat(d.partitions())
                .filteredOn(p -> p.topicPartition().partition() > 0)
                .allSatisfy(p -> assertThat(p.committed()).isEqualTo(-1));
        assertThat(d.totalLag()).isEqualTo(40 - 1);
        assertThat(inFirst).isPositive();
    }

    protected static void produce(Broker broker, String topic, int from, int to) {
        try (Producer p = broker.producer()) {
            for (int i = from; i < to; i++) {
                p.send(topic, Event.of("k" + i, "e" + i, i));
            }
        }
    }

    /** A commit may fail while the group rebalances (Kafka); the positions are committed again after the next poll. */
    private static void pollAndCommit(Consumer c, Set<String> seen) {
        for (ConsumedEvent e : c.poll(Duration.ofMillis(20))) {
            seen.add(e.valueAsString());
        }
        try {
            c.commitSync();
        } catch (CommitFailedException e) {
            // delivered again to whoever owns the partition next, as at-least-once allows
        }
    }

    /** Polls until {@code n} events arrived or 30 s passed. */
    protected static List<ConsumedEvent> pollUntil(Consumer consumer, int n) {
        List<ConsumedEvent> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(consumer.poll(Duration.ofMillis(100)));
        }
        return out;
    }

    protected static List<TopicPartition> partitions(String topic, int n) {
        List<TopicPartition> out = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            out.add(new TopicPartition(topic, p));
        }
        return out;
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RebalanceListener recorder(String name, List<String> calls) {
        return new RebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                calls.add(name + " revoked " + partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                calls.add(name + " assigned " + partitions);
            }
        };
    }
}
