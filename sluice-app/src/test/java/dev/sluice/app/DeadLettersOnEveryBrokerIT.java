package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.TopicPartition;
import dev.sluice.kafka.server.LocalKafka;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.runtime.DeadLetters;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same pipeline on the embedded broker and on Kafka: poison events land in the stage's dead-letter topic with the
 * same headers (stage, step, error, message, original topic, partition, offset), and everything else is delivered.
 */
class DeadLettersOnEveryBrokerIT {
    private static LocalKafka kafka;

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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "kafka"})
    void shouldDeadLetterPoisonWithItsProvenanceAndDeliverTheRest(String backend) throws Exception {
        String url = backend.equals("kafka") ? kafka.url() : "embedded:" + dir.resolve("data");
        try (Broker broker = Brokers.open(url)) {
            broker.admin().createTopic(NewTopic.of("raw", 2));
            try (Producer p = broker.producer()) {
                for (int i = 0; i < 100; i++) {
                    String value = i % 10 == 0 ? "{not json " + i : "{\"n\": " + i + "}";
                    p.send("raw", Event.of("k" + i, value, System.currentTimeMillis()));
                }
            }
            var spec = Pipeline.named("dl")
                    .existingTopic("raw")
                    .topic("clean", 2)
                    .stage(
                            "shape",
                            s -> s.from("raw")
                                    .parse("json")
                                    .filter("event.n % 3 != 1")
                                    .to("clean"))
                    .build();
            try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
                assertThat(run.awaitIdle(Duration.ofSeconds(90)))
                        .as(String.valueOf(run.failure()))
                        .isTrue();
            }
            List<ConsumedEvent> dead = read(broker, "dl.shape.dlq", 1, 10);
            assertThat(dead).hasSize(10);
            for (ConsumedEvent e : dead) {
                assertThat(e.valueAsString()).startsWith("{not json ");
                assertThat(header(e, DeadLetters.STAGE)).isEqualTo("shape");
                assertThat(header(e, DeadLetters.STEP)).isEqualTo("1:parse");
                assertThat(header(e, DeadLetters.MESSAGE)).startsWith("not valid JSON: ");
                assertThat(header(e, DeadLetters.TOPIC)).isEqualTo("raw");
                assertThat(header(e, DeadLetters.PARTITION)).isIn("0", "1");
                assertThat(Long.parseLong(header(e, DeadLetters.OFFSET))).isNotNegative();
            }
            long kept = java.util.stream.IntStream.range(0, 100)
                    .filter(i -> i % 10 != 0 && i % 3 != 1)
                    .count();
            assertThat(read(broker, "clean", 2, (int) kept)).hasSize((int) kept);
        }
    }

    private static String header(ConsumedEvent e, String name) {
        return e.headers().stream()
                .filter(h -> h.key().equals(name))
                .map(dev.sluice.broker.Header::valueAsString)
                .findFirst()
                .orElse(null);
    }

    private static List<ConsumedEvent> read(Broker broker, String topic, int partitions, int expected) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        List<ConsumedEvent> out = new ArrayList<>();
        try (Consumer c = broker.consumer(ConsumerConfig.defaults())) {
            c.assign(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                out.addAll(c.poll(Duration.ofMillis(200)));
            }
            out.addAll(c.poll(Duration.ofMillis(300))); // and nothing more
        }
        return out;
    }
}
