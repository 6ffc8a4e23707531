package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.kafka.server.LocalKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when Kafka is not there, or a topic the pipeline may not create is missing. */
class KafkaBadSituationsIT {
    @TempDir
    Path dir;

    @Test
    void shouldNameTheUrlRetryAndGiveUpWhenKafkaIsUnreachable() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                pipeline: p
                broker: kafka://127.0.0.1:1
                kafka: {startup-timeout: 2s}
                topics:
                  raw: {partitions: 1}
                sinks:
                  - {name: out, type: stdout, from: raw}
                """);
        long start = System.nanoTime();
        CliRun r = sluice("run", file.toString());
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                .as("kept trying for the startup timeout")
                .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .contains("error: Cannot reach Kafka at kafka://127.0.0.1:1 within 2s:")
                .contains("or wait longer with the kafka setting startup-timeout")
                .doesNotContain("\tat ");
    }

    @Test
    void shouldRefuseBadUrlsAndSettings() {
        CliRun url = sluice("topics", "list", "--broker", "kafka://localhost");
        assertThat(url.err())
                .contains(
                        "error: Broker URL 'kafka://localhost': 'localhost' is not host:port; write kafka://host:port,"
                                + " for example kafka://localhost:9092.");
        CliRun port = sluice("topics", "list", "--broker", "kafka://localhost:99999");
        assertThat(port.err()).contains("'localhost:99999' has a port outside 1-65535");
    }

    @Test
    void shouldStopWithAClearErrorWhenATopicItMayNotCreateIsMissing() throws Exception {
        try (LocalKafka kafka = LocalKafka.start()) {
            Path file = dir.resolve("p.yaml");
            Files.writeString(file, """
                    pipeline: p
                    broker: %s
                    topics:
                      orders: {create: false}
                    sinks:
                      - {name: out, type: stdout, from: orders}
                    """.formatted(kafka.url()));
            CliRun r = sluice("run", file.toString(), "--until-done");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err())
                    .contains("p.yaml:4:3: topic 'orders' does not exist on " + kafka.url()
                            + ", and the pipeline does not create it (create: false). Create it there, or remove"
                            + " 'create: false'.");
        }
    }

    private static CliRun sluice(String... args) {
        return CliRun.of(args);
    }
}
