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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exactly-once Kafka-to-Kafka stage, its {@code sluice run} process killed with SIGKILL three times in the middle:
 * a {@code read_committed} reader of its output and dead-letter topics sees every result exactly once.
 */
class KafkaExactlyOnceIT {
    private static final int EVENTS = 300_000;
    private static final int POISON_EVERY = 1_000;
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

    @Test
    void shouldDeliverEveryResultExactlyOnceAcrossKills() throws Exception {
        Path file = dir.resolve("eos.yaml");
        Files.writeString(file, """
                pipeline: eos
                broker: %s
                topics:
                  in: {partitions: 3}
                  out: {partitions: 3}
                stages:
                  - name: double
                    from: in
                    guarantee: exactly-once
                    steps:
                      - parse: json
                      - map: {twice: "event.n * 2"}
                    to: out
                """.formatted(kafka.url()));
        try (Broker broker = Brokers.open(kafka.url())) {
            broker.admin().createTopic(NewTopic.of("in", 3));
            long now = System.currentTimeMillis(); // old timestamps would fall to Kafka's 7-day retention
            try (Producer p = broker.producer()) {
                for (int i = 0; i < EVENTS; i++) {
                    String value = i % POISON_EVERY == 0 ? "{broken " + i : "{\"n\": " + i + "}";
                    p.send("in", Event.of("k" + i, value, now + i));
                }
            }
            Random random = new Random(11);
            for (int round = 0; round < 3; round++) {
                Process p = sluice(file, "run", file.toString(), "--quiet");
                Thread.sleep(2_500 + random.nextInt(2_000));
                p.destroyForcibly(); // SIGKILL, in the middle of a transaction most of the time
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            Process last = sluice(file, "run", file.toString(), "--until-done", "--quiet", "--timeout", "4m");
            assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(last.exitValue()).as(logs()).isZero();

            Map<String, Integer> results = readCommitted(broker, "out", 3);
            assertThat(results).hasSize(EVENTS - EVENTS / POISON_EVERY);
            assertThat(results.values()).as("each result once").allMatch(n -> n == 1);
            Map<String, Integer> deadLetters = readCommitted(broker, "eos.double.dlq", 1);
            assertThat(deadLetters)
                    .as(() -> "uncommitted: " + read(broker, "eos.double.dlq", 1, false) + "\n" + logsOrError())
                    .hasSize(EVENTS / POISON_EVERY);
            assertThat(deadLetters.values()).as("each dead letter once").allMatch(n -> n == 1);
        }
    }

    private String logsOrError() {
        try {
            return logs();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Map<String, Integer> readCommitted(Broker broker, String topic, int partitions) {
        return read(broker, topic, partitions, true);
    }

    /** How often each key appears in a topic. */
    private static Map<String, Integer> read(Broker broker, String topic, int partitions, boolean committed) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        Map<String, Integer> seen = new HashMap<>();
        try (Consumer c = broker.consumer(
                ConsumerConfig.defaults().withReadCommitted(committed).withMaxPollEvents(5_000))) {
            c.assign(tps);
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(5)) {
                List<ConsumedEvent> events = c.poll(Duration.ofMillis(200));
                if (!events.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                for (ConsumedEvent e : events) {
                    seen.merge(e.keyAsString(), 1, Integer::sum);
                }
            }
        }
        return seen;
    }

    private String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < runs; i++) {
            all.append(Files.readString(dir.resolve("run-" + i + ".log"), StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    private int runs;

    private Process sluice(Path file, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("sluice.jar")));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .directory(file.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("run-" + runs++ + ".log").toFile())
                .start();
    }
}
