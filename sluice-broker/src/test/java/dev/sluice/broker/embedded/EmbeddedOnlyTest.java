package dev.sluice.broker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.InvalidTopicException;
import dev.sluice.broker.NewTopic;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the embedded broker does; what every backend does is in {@code BrokerContract}. */
class EmbeddedOnlyTest {
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
    void shouldProtectInternalTopics() {
        assertThatThrownBy(() -> broker.admin().deleteTopic("__consumer_offsets"))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageStartingWith("Topic names starting with '__' are reserved for Sluice's internal topics;");
        assertThatThrownBy(() -> broker.admin().createTopic(NewTopic.of("__mine", 1)))
                .hasMessageContaining("'__mine' cannot be created");
        assertThat(broker.admin().listTopics(true)).contains("__consumer_offsets");
        assertThat(broker.admin().listTopics(false)).doesNotContain("__consumer_offsets");
    }

    @Test
    void shouldRefuseEventsForItsInternalTopics() {
        try (var producer = broker.producer()) {
            assertThatThrownBy(() -> producer.send("__consumer_offsets", dev.sluice.broker.Event.of("g1", "x", 1))
                            .get())
                    .cause()
                    .isInstanceOf(InvalidTopicException.class)
                    .hasMessage("Topic '__consumer_offsets' is internal to Sluice (as every name starting with '__'"
                            + " is) and takes no events from producers. Send to a topic of your own.");
            assertThatThrownBy(() -> producer.send(
                                    new dev.sluice.broker.TopicPartition("__consumer_offsets", 0),
                                    dev.sluice.broker.Event.of("g1", "x", 1))
                            .get())
                    .cause()
                    .isInstanceOf(InvalidTopicException.class);
        }
    }

    @Test
    void shouldOpenAndKeepEveryCommitWhenItsOffsetsTopicHoldsRecordsItDidNotWrite() {
        broker.admin().createTopic(NewTopic.of("t", 1));
        dev.sluice.broker.TopicPartition tp = new dev.sluice.broker.TopicPartition("t", 0);
        try (var consumer = broker.consumer(dev.sluice.broker.ConsumerConfig.group("g"))) {
            consumer.assign(java.util.List.of(tp));
            consumer.commitSync(java.util.Map.of(tp, 0L));
        }
        broker.close();
        try (dev.sluice.log.Log log = dev.sluice.log.Log.open(dir)) { // as an old version or a bug might have
            var offsets = log.topic("__consumer_offsets").partition(0);
            for (String key : new String[] {"g1", "", "\u0000\u0000\u0009short"}) {
                var batch = new dev.sluice.log.record.RecordBatchBuilder(256);
                batch.tryAppend(
                        1,
                        key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                        "x".getBytes(),
                        java.util.List.of());
                offsets.append(batch.build());
            }
        }
        broker = Brokers.open("embedded:" + dir);
        try (var consumer = broker.consumer(dev.sluice.broker.ConsumerConfig.group("g"))) {
            assertThat(consumer.committed(java.util.Set.of(tp))).isEqualTo(java.util.Map.of(tp, 0L));
        }
        broker.admin().deleteTopic("t"); // every command works on this directory
        assertThat(broker.admin().listTopics(false)).isEmpty();
    }

    @Test
    void shouldSendWhatAnAlteredTopicTakesNowAndKeepItsSettingsAcrossARestart() throws Exception {
        broker.admin().createTopic(new NewTopic("big", 1, java.util.Map.of("max.message.bytes", "1000")));
        String large = "x".repeat(5_000);
        try (var producer = broker.producer()) {
            assertThatThrownBy(() -> producer.send("big", dev.sluice.broker.Event.of("k", large, 1))
                            .get())
                    .cause()
                    .isInstanceOf(dev.sluice.broker.RecordTooLargeException.class);
            broker.admin().alterTopicConfig("big", java.util.Map.of("max.message.bytes", "1MiB"));
            assertThat(producer.send("big", dev.sluice.broker.Event.of("k", large, 2))
                            .get()
                            .offset())
                    .isZero();
        }
        broker.close();
        broker = Brokers.open("embedded:" + dir);
        assertThat(broker.admin().describeTopic("big").config()).containsEntry("max.message.bytes", "1048576");
    }

    @Test
    void shouldNameTheKnownTopicInUnknownTopicErrors() {
        broker.admin().createTopic(NewTopic.of("small", 1));
        try (var producer = broker.producer()) {
            assertThatThrownBy(() -> producer.send("smal", dev.sluice.broker.Event.of("k", "v", 1))
                            .get())
                    .cause()
                    .hasMessage("Topic 'smal' does not exist. Did you mean 'small'?");
        }
    }

    @Test
    void shouldRefuseABadReplicationFactorAndIgnoreAGoodOne() {
        broker.admin().createTopic(new NewTopic("three", 1, java.util.Map.of("replication.factor", "3")));
        assertThat(broker.admin().describeTopic("three").partitions()).hasSize(1);
        assertThatThrownBy(() -> broker.admin()
                        .createTopic(new NewTopic("bad", 1, java.util.Map.of("replication.factor", "two"))))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Invalid value 'two' for replication.factor of topic 'bad': write a whole number of copies,"
                        + " such as 3.");
    }

    @Test
    void shouldRefuseAnUnknownBrokerUrl() {
        assertThatThrownBy(() -> Brokers.open("kafak://localhost:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown broker URL 'kafak://localhost:9092': use one of embedded:./data");
    }
}
