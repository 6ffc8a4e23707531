package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.kafka.server.LocalKafka;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.yaml.PipelineYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline on the embedded broker that pulls a topic from a real Kafka cluster, works on it, and writes its results
 * back to another topic there: events copied as they are, once each across a restart, results acknowledged by Kafka.
 */
class KafkaBridgeIT {
    private static LocalKafka kafka;
    /** Event times: recent, or retention (7 days) would delete them. */
    private static final long BASE = System.currentTimeMillis() - 3_600_000;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldPullATopicFromKafkaAndPushResultsBack() throws Exception {
        try (Broker cluster = Brokers.open(kafka.url())) {
            cluster.admin().createTopic(NewTopic.of("prod-orders", 3));
            cluster.admin().createTopic(NewTopic.of("laptop-totals", 1));
            produce(cluster, 0, 3_000);
            Path file = dir.resolve("bridge.yaml");
            Files.writeString(file, """
                    pipeline: bridge
                    topics:
                      orders: {partitions: 2}
                      totals: {partitions: 1}
                    sources:
                      - name: prod
                        type: kafka
                        url: %s
                        topic: prod-orders
                        until: end
                        to: orders
                    stages:
                      - name: total
                        from: orders
                        steps:
                          - parse: json
                          - map: {total: "event.price * event.qty"}
                        to: totals
                    sinks:
                      - name: back
                        type: kafka
                        from: totals
                        url: %s
                        topic: laptop-totals
                    """.formatted(kafka.url(), kafka.url()));
            PipelineSpec spec = PipelineYaml.load(file);
            run(spec);
            produce(cluster, 3_000, 1_000); // more in production; the next run copies only these
            run(spec);

            try (EmbeddedBroker local = EmbeddedBroker.open(dir.resolve("data"))) {
                List<ConsumedEvent> copied = readAll(local, "orders", 2);
                assertThat(copied).hasSize(4_000);
                ConsumedEvent one = copied.stream()
                        .filter(e -> e.valueAsString().contains("\"id\": 7,"))
                        .findFirst()
                        .orElseThrow();
                assertThat(one.keyAsString()).isEqualTo("customer-7");
                assertThat(one.timestamp()).isEqualTo(BASE + 7);
                assertThat(one.headers()).contains(Header.of("origin", "web"));
            }
            List<ConsumedEvent> totals = readAll(cluster, "laptop-totals", 1);
            Map<Long, Integer> ids = new HashMap<>();
            for (ConsumedEvent e : totals) {
                Map<String, Object> v = Json.parseObject(e.value());
                long id = ((Number) v.get("id")).longValue();
                ids.merge(id, 1, Integer::sum);
                assertThat(((Number) v.get("total")).longValue()).isEqualTo((id % 10) * 3);
            }
            assertThat(ids).hasSize(4_000);
            assertThat(ids.values()).as("each result once (clean stops)").allMatch(n -> n == 1);
        }
    }

    private void run(PipelineSpec spec) throws InterruptedException {
        try (EmbeddedBroker local = EmbeddedBroker.open(dir.resolve("data"));
                PipelineRun run = PipelineRun.start(spec, local, RuntimeOptions.defaults(dir))) {
            assertThat(run.awaitIdle(Duration.ofSeconds(120))).isTrue();
            assertThat(run.failure()).isNull();
        }
    }

    private static void produce(Broker cluster, int from, int count) {
        try (Producer p = cluster.producer()) {
            for (int i = from; i < from + count; i++) {
                String value = "{\"id\": " + i + ", \"price\": " + (i % 10) + ", \"qty\": 3}";
                p.send(
                        "prod-orders",
                        new Event(
                                ("customer-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                List.of(Header.of("origin", "web")),
                                BASE + i));
            }
        }
    }

    private static List<ConsumedEvent> readAll(Broker broker, String topic, int partitions) {
        List<ConsumedEvent> out = new ArrayList<>();
        try (Consumer c = broker.consumer(ConsumerConfig.defaults())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            c.assign(all);
            c.seekToBeginning(all);
            for (List<ConsumedEvent> batch = c.poll(Duration.ofSeconds(5));
                    !batch.isEmpty();
                    batch = c.poll(Duration.ofSeconds(2))) {
                out.addAll(batch);
            }
        }
        return out;
    }
}
