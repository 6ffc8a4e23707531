package dev.sluice.broker.embedded;

import static dev.sluice.broker.embedded.ProduceConsumeTest.partitions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.CommitFailedException;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.GroupDescription;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.RebalanceListener;
import dev.sluice.broker.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerGroupTest {
    @TempDir
    Path dir;

    @Test
    void shouldSplitPartitionsRebalanceOnLeaveAndResumeFromCommittedOffsetsAfterRestart() {
        Set<String> seen = new HashSet<>();
        try (Broker broker = Brokers.open("embedded:" + dir)) {
            broker.admin().createTopic(NewTopic.of("orders", 4));
            produce(broker, 0, 400);

            Consumer a = broker.consumer(ConsumerConfig.group("billing").withMaxPollEvents(10));
            Consumer b = broker.consumer(ConsumerConfig.group("billing").withMaxPollEvents(10));
            a.subscribe(List.of("orders"));
            b.subscribe(List.of("orders"));
            // both poll until each owns its half: the first joiner gives two partitions up once the second appears
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                pollAndCommit(a, seen);
                pollAndCommit(b, seen);
                return a.assignment().size() == 2 && b.assignment().size() == 2;
            });
            Set<TopicPartition> union = new HashSet<>(a.assignment());
            union.addAll(b.assignment());
            assertThat(union).containsExactlyInAnyOrderElementsOf(partitions("orders", 4));

            b.close(); // leaves: a takes everything
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                pollAndCommit(a, seen);
                return a.assignment().size() == 4;
            });
            while (seen.size() < 300) {
                pollAndCommit(a, seen);
            }
            a.close();
        }
        assertThat(seen.size()).isBetween(300, 399);

        try (Broker broker = Brokers.open("embedded:" + dir)) {
            produce(broker, 400, 500);
            Consumer c = broker.consumer(ConsumerConfig.group("billing"));
            c.subscribe(List.of("orders"));
            List<String> after = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.size() + after.size() < 500 && System.nanoTime() < deadline) {
                for (ConsumedEvent e : c.poll(Duration.ofMillis(100))) {
                    after.add(e.valueAsString());
                }
            }
            // resumed from the committed offsets: nothing consumed twice, nothing lost
            assertThat(after).doesNotContainAnyElementsOf(seen);
            Set<String> all = new HashSet<>(seen);
            all.addAll(after);
            assertThat(all).hasSize(500);
            c.close();
        }
    }

    @Test
    void shouldCallRevokeBeforeThePartitionMovesAndAssignAfter() {
        try (Broker broker = Brokers.open("embedded:" + dir)) {
            broker.admin().createTopic(NewTopic.of("t", 2));
            List<String> calls = new CopyOnWriteArrayList<>();
            Consumer a = broker.consumer(ConsumerConfig.group("g"));
            a.subscribe(List.of("t"), recorder("a", calls));
            a.poll(Duration.ofMillis(10));
            assertThat(a.assignment()).hasSize(2);

            Consumer b = broker.consumer(ConsumerConfig.group("g"));
            b.subscribe(List.of("t"), recorder("b", calls));
            b.poll(Duration.ofMillis(10));
            assertThat(b.assignment()).as("the partition is still owned by a").isEmpty();
            a.poll(Duration.ofMillis(10));
            b.poll(Duration.ofMillis(10));
            assertThat(a.assignment()).hasSize(1);
            assertThat(b.assignment()).hasSize(1);
            assertThat(calls).containsExactly("a assigned [t/0, t/1]", "a revoked [t/1]", "b assigned [t/1]");
            a.close();
            b.close();
        }
    }

    @Test
    void shouldExpelAMemberThatStopsPollingAndRefuseItsCommits() {
        try (Broker broker = Brokers.open("embedded:" + dir)) {
            broker.admin().createTopic(NewTopic.of("t", 2));
            Consumer slow = broker.consumer(ConsumerConfig.group("g").withMaxPollIntervalMs(300));
            Consumer live = broker.consumer(ConsumerConfig.group("g").withMaxPollIntervalMs(300));
            List<String> calls = new CopyOnWriteArrayList<>();
            slow.subscribe(List.of("t"), recorder("slow", calls));
            live.subscribe(List.of("t"));
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                slow.poll(Duration.ofMillis(10));
                live.poll(Duration.ofMillis(10));
                return slow.assignment().size() == 1 && live.assignment().size() == 1;
            });
            TopicPartition slowPartition = slow.assignment().iterator().next();

            await().atMost(Duration.ofSeconds(5)).until(() -> {
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
    }

    @Test
    void shouldDescribeGroupsWithLagPerPartition() {
        try (Broker broker = Brokers.open("embedded:" + dir)) {
            broker.admin().createTopic(NewTopic.of("t", 2));
            produce(broker, 0, 100);
            try (Consumer c = broker.consumer(ConsumerConfig.group("reporting").withMaxPollEvents(30))) {
                c.subscribe(List.of("t"));
                c.poll(Duration.ofSeconds(1));
                c.commitSync();
                GroupDescription d = broker.admin().describeGroup("reporting");
                assertThat(d.members()).hasSize(1);
                assertThat(d.totalLag()).isEqualTo(70);
                assertThat(d.partitions())
                        .allSatisfy(
                                p -> assertThat(p.owner()).isEqualTo(d.members().get(0)));
            }
            assertThat(broker.admin().listGroups()).containsExactly("reporting");
            assertThat(broker.admin().describeGroup("reporting").members()).isEmpty();
        }
    }

    private static void produce(Broker broker, int from, int to) {
        try (Producer p = broker.producer()) {
            for (int i = from; i < to; i++) {
                p.send(
                        "orders".equals(firstTopic(broker)) ? "orders" : firstTopic(broker),
                        Event.of("k" + i, "e" + i, i));
            }
        }
    }

    private static String firstTopic(Broker broker) {
        return broker.admin().listTopics(false).get(0);
    }

    private static void pollAndCommit(Consumer c, Set<String> seen) {
        for (ConsumedEvent e : c.poll(Duration.ofMillis(20))) {
            seen.add(e.valueAsString());
        }
        c.commitSync();
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
