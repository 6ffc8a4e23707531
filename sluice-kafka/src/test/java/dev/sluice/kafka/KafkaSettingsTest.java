package dev.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.InvalidTopicException;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.ProducerConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** URLs, client settings and topic settings as Kafka gets them; no broker needed. */
class KafkaSettingsTest {
    @Test
    void shouldParseUrlsAndRefuseBadOnes() {
        assertThat(KafkaUrl.parse("kafka://a:9092,b:9093/").bootstrapServers()).isEqualTo("a:9092,b:9093");
        assertThatThrownBy(() -> KafkaUrl.parse("kafka://"))
                .hasMessage("Broker URL 'kafka://' has no address: write kafka://host:port, or"
                        + " kafka://host1:9092,host2:9092 for several.");
        assertThatThrownBy(() -> KafkaUrl.parse("kafka://a:9092,b"))
                .hasMessage("Broker URL 'kafka://a:9092,b': 'b' is not host:port; write kafka://host:port, for example"
                        + " kafka://localhost:9092.");
        assertThatThrownBy(() -> KafkaUrl.parse("kafka://a:x")).hasMessageContaining("has a port that is not a number");
    }

    @Test
    void shouldPassUserSettingsThroughWithClientPrefixesWinning() {
        var settings = new ClientSettings(
                KafkaUrl.parse("kafka://k:9092"),
                Map.of(
                        "security.protocol", "SASL_SSL",
                        "linger.ms", "7",
                        "producer.linger.ms", "20",
                        "consumer.session.timeout.ms", "30000",
                        "startup-timeout", "2m"));
        var producer = settings.producer(ProducerConfig.defaults(), null);
        assertThat(producer)
                .containsEntry("bootstrap.servers", "k:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("linger.ms", "20")
                .containsEntry("acks", "all")
                .doesNotContainKey("startup-timeout")
                .doesNotContainKey("producer.linger.ms")
                .doesNotContainKey("consumer.session.timeout.ms");
        var consumer = settings.consumer(ConsumerConfig.group("g").withReadCommitted(true));
        assertThat(consumer)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("session.timeout.ms", "30000")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false")
                .containsEntry("group.id", "g");
        assertThat(settings.startupTimeoutMs()).isEqualTo(120_000);
        assertThat(settings.producer(ProducerConfig.defaults(), "tx-1"))
                .containsEntry("transactional.id", "tx-1")
                .containsEntry("transaction.timeout.ms", "10000");
        assertThatThrownBy(() -> new ClientSettings(KafkaUrl.parse("kafka://k:1"), Map.of("startup-timeout", "soon"))
                        .startupTimeoutMs())
                .hasMessage("Kafka setting startup-timeout: 'soon' is not a duration; write 30s, 2m or 1h.");
    }

    @Test
    void shouldMapTopicSettingsToKafkasNumbers() {
        var topic = TopicSettings.toKafka(new NewTopic(
                "orders",
                6,
                Map.of(
                        "retention.ms", "7d",
                        "segment.bytes", "64MiB",
                        "cleanup.policy", "compact",
                        "flush.policy", "always",
                        "replication.factor", "3")));
        assertThat(topic.numPartitions()).isEqualTo(6);
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "retention.ms", "604800000",
                        "segment.bytes", "67108864",
                        "cleanup.policy", "compact",
                        "flush.messages", "1"));
        var defaults = TopicSettings.toKafka(NewTopic.of("t", 1));
        assertThat(defaults.configs()).isEmpty();
        assertThat(Optional.of(defaults.replicationFactor())).contains((short) -1);
        assertThatThrownBy(() -> TopicSettings.toKafka(new NewTopic("t", 1, Map.of("retention.ms", "forever"))))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageStartingWith("Topic 't': ");
    }
}
