package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.kafka.server.LocalKafka;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka broker stops in the middle of a run and comes back: the pipeline resumes and every event arrives. */
class KafkaBrokerRestartIT {
    private static final int EVENTS = 30_000;

    @TempDir
    Path dir;

    @Test
    void shouldResumeAfterTheBrokerRestartsAndLoseNothing() throws Exception {
        PipelineSpec spec = Pipeline.named("restart")
                .topic("events", 2)
                .source(
                        "gen",
                        "generator",
                        "events",
                        Map.of("count", EVENTS, "rate", "5000/s", "key", "id", "fields", Map.of("id", "sequence")))
                .sink("out", "file", Map.of("path", "out"), s -> s.from("events"))
                .build();
        try (LocalKafka kafka = LocalKafka.start();
                Broker broker = Brokers.open(kafka.url())) {
            PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir));
            try {
                Thread.sleep(2_000);
                kafka.stop();
                Thread.sleep(5_000); // the source and sink keep trying while the broker is away
                assertThat(run.failure()).isNull();
                kafka.startAgain();
                assertThat(run.awaitIdle(Duration.ofMinutes(3)))
                        .as(() -> "failure " + run.failure() + ", counters " + run.metrics() + ", lag of out "
                                + run.lag("out"))
                        .isTrue();
            } finally {
                run.stop();
            }
        }
        assertThat(ids(dir.resolve("out"))).hasSize(EVENTS); // duplicates are allowed (at-least-once), gaps are not
    }

    private static Set<Long> ids(Path out) throws IOException {
        Set<Long> ids = new HashSet<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                List<String> lines = Files.readAllLines(f);
                for (String line : lines) {
                    int i = line.indexOf("\"id\":");
                    int end = line.indexOf('}', i);
                    ids.add(Long.parseLong(line.substring(i + 5, end).trim()));
                }
            }
        }
        return ids;
    }
}
