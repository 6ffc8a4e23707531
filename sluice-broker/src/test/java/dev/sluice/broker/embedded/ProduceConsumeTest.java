package dev.sluice.broker.embedded;

import static dev.sluice.broker.embedded.BrokerTestSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.KeyPartitioner;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.OffsetReset;
import dev.sluice.broker.Producer;
import dev.sluice.broker.RecordTooLargeException;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.UnknownTopicException;
import dev.sluice.broker.WakeupException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceConsumeTest {
    @TempDir
    Path dir;

    Broker broker;

    @BeforeEach
    void open() {
        broker = Brokers.open("embedded:" + dir);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void shouldDeliverKeysValuesHeadersAndTimestampsInOrderPerPartition() throws Exception {
        broker.admin().createTopic(NewTopic.of("clicks", 4));
        List<CompletableFuture<SendResult>> sent = new ArrayList<>();
        try (Producer producer = broker.producer()) {
            for (int i = 0; i < 1000; i++) {
                Event e = new Event(
                        bytes("user-" + (i % 17)), bytes("click-" + i), List.of(Header.of("seq", "" + i)), 1_000 + i);
                sent.add(producer.send("clicks", e));
            }
        }
        for (CompletableFuture<SendResult> f : sent) {
            assertThat(f).isDone();
        }
        try (Consumer consumer = broker.consumer(ConsumerConfig.defaults())) {
            consumer.assign(partitions("clicks", 4));
            List<ConsumedEvent> events = pollUntil(consumer, 1000);
            assertThat(events).hasSize(1000);
            for (ConsumedEvent e : events) {
                int i = Integer.parseInt(e.valueAsString().substring(6));
                assertThat(e.keyAsString()).isEqualTo("user-" + (i % 17));
                assertThat(e.partition()).isEqualTo(KeyPartitioner.partition(bytes("user-" + (i % 17)), 4));
                assertThat(e.headers()).containsExactly(Header.of("seq", "" + i));
                assertThat(e.timestamp()).isEqualTo(1_000 + i);
                assertThat(sent.get(i).get().offset()).isEqualTo(e.offset());
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
    void shouldSpreadKeylessEventsOverPartitionsBatchByBatch() {
        broker.admin().createTopic(NewTopic.of("t", 3));
        try (Producer producer =
                broker.producer(dev.sluice.broker.ProducerConfig.defaults().withBatchBytes(4096))) {
            for (int i = 0; i < 3000; i++) {
                producer.send("t", Event.of((String) null, "v" + i, i));
            }
        }
        Map<TopicPartition, Long> ends = broker.admin().endOffsets(partitions("t", 3));
        assertThat(ends.values()).allSatisfy(end -> assertThat(end).isGreaterThan(0));
        assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3000);
    }

    @Test
    void shouldFailSendsToUnknownTopicsAndOversizedEventsClearly() {
        broker.admin().createTopic(new NewTopic("small", 1, Map.of("max.message.bytes", "1000")));
        try (Producer producer = broker.producer()) {
            assertThatThrownBy(
                            () -> producer.send("smal", Event.of("k", "v", 1)).get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(UnknownTopicException.class)
                    .hasMessage("Topic 'smal' does not exist. Did you mean 'small'?");
            assertThatThrownBy(() -> producer.send("small", Event.of(null, new byte[2000], 1))
                            .get())
                    .cause()
                    .isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("larger than small's max.message.bytes of 1000");
            assertThatThrownBy(() -> producer.send(new TopicPartition("small", 3), Event.of("k", "v", 1))
                            .get())
                    .cause()
                    .hasMessage("Partition 3 does not exist: topic small has 1 partitions (0-0).");
            // small events still go through, in batches capped by the topic limit
            for (int i = 0; i < 100; i++) {
                producer.send("small", Event.of(null, new byte[100], i));
            }
        }
        assertThat(broker.admin().describeTopic("small").partitions().get(0).endOffset())
                .isEqualTo(100);
    }

    @Test
    void shouldBlockInPollUntilAnEventArrivesWithoutWaitingForTheTimeout() throws Exception {
        broker.admin().createTopic(NewTopic.of("t", 1));
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (Consumer consumer = broker.consumer(ConsumerConfig.defaults().withOffsetReset(OffsetReset.LATEST));
                Producer producer = broker.producer()) {
            consumer.assign(List.of(new TopicPartition("t", 0)));
            assertThat(consumer.poll(Duration.ofMillis(50))).isEmpty();
            later.schedule(() -> producer.send("t", Event.of("k", "late", 1)), 200, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            List<ConsumedEvent> events = consumer.poll(Duration.ofSeconds(30));
            assertThat(events).extracting(ConsumedEvent::valueAsString).containsExactly("late");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void shouldWakeUpABlockedPoll() throws Exception {
        broker.admin().createTopic(NewTopic.of("t", 1));
        try (Consumer consumer = broker.consumer(ConsumerConfig.defaults())) {
            consumer.assign(List.of(new TopicPartition("t", 0)));
            Executors.newSingleThreadScheduledExecutor().schedule(consumer::wakeup, 100, TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30))).isInstanceOf(WakeupException.class);
        }
    }

    @Test
    void shouldSeekToBeginningEndOffsetAndTimestamp() {
        broker.admin().createTopic(NewTopic.of("t", 1));
        try (Producer producer = broker.producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send("t", Event.of("k", "v" + i, 1_000L * i));
            }
        }
        TopicPartition tp = new TopicPartition("t", 0);
        try (Consumer consumer = broker.consumer(ConsumerConfig.defaults())) {
            consumer.assign(List.of(tp));
            consumer.seekToTimestamp(List.of(tp), 4_500);
            assertThat(pollUntil(consumer, 5).get(0).valueAsString()).isEqualTo("v5");
            consumer.seek(tp, 2);
            assertThat(pollUntil(consumer, 8).get(0).offset()).isEqualTo(2);
            consumer.seekToEnd(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(10);
            assertThat(consumer.poll(Duration.ofMillis(20))).isEmpty();
            consumer.seekToBeginning(List.of(tp));
            assertThat(pollUntil(consumer, 10)).hasSize(10);
            consumer.seekToTimestamp(List.of(tp), 99_999);
            assertThat(consumer.position(tp)).isEqualTo(10);
            assertThatThrownBy(() -> consumer.seek(tp, 11))
                    .hasMessage("Cannot seek t/0 to 11: stored offsets are 0 to 10.");
        }
    }

    @Test
    void shouldProtectInternalTopics() {
        assertThatThrownBy(() -> broker.admin().deleteTopic("__consumer_offsets"))
                .isInstanceOf(dev.sluice.broker.InvalidTopicException.class)
                .hasMessageStartingWith("Topic names starting with '__' are reserved for Sluice's internal topics;");
        assertThatThrownBy(() -> broker.admin().createTopic(NewTopic.of("__mine", 1)))
                .hasMessageContaining("'__mine' cannot be created");
        assertThat(broker.admin().listTopics(true)).contains("__consumer_offsets");
        assertThat(broker.admin().listTopics(false)).doesNotContain("__consumer_offsets");
    }

    @Test
    void shouldRefuseAnUnknownBrokerUrl() {
        assertThatThrownBy(() -> Brokers.open("kafak://localhost:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown broker URL 'kafak://localhost:9092': use one of embedded:./data");
    }

    static List<TopicPartition> partitions(String topic, int n) {
        List<TopicPartition> out = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            out.add(new TopicPartition(topic, p));
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
