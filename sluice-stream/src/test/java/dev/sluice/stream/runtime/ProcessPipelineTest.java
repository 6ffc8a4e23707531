package dev.sluice.stream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.KeyPartitioner;
import dev.sluice.broker.Producer;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.KeyedProcess;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.state.ClicksPerMinute;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyed functions with state and timers in running pipelines, across a stop and a restart. */
class ProcessPipelineTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    EmbeddedBroker broker;

    @BeforeEach
    void open() {
        broker = EmbeddedBroker.open(dir.resolve("data"));
    }

    @AfterEach
    void close() {
        broker.close();
    }

    RuntimeOptions options() {
        return RuntimeOptions.defaults(dir)
                .withConnectors(TestConnectors.all())
                .withBackoff(new Backoff(10, 100))
                .withCheckpointInterval(200);
    }

    @ParameterizedTest(name = "state on disk: {0}")
    @ValueSource(booleans = {false, true})
    void shouldKeepStateAndTimersPerKeyAcrossARestartAsABatchComputationWould(boolean onDisk) throws Exception {
        KeyedProcess process = KeyedProcess.of(ClicksPerMinute::new)
                .by("user")
                .time("ts")
                .outOfOrder("30s")
                .idleTimeout("2s");
        if (onDisk) {
            process.onDisk(1);
        }
        PipelineSpec spec = Pipeline.named("p")
                .topic("clicks", 3)
                .topic("per-minute", 1)
                .stage(
                        "count",
                        s -> s.from("clicks").parse("json").process(process).to("per-minute"))
                .build();
        Random random = new Random(3);
        List<Map<String, Object>> clicks = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            long ts = T0 + i * 300L + random.nextInt(20_000) - 10_000; // up to 10 s out of order
            clicks.add(Map.of("user", "u" + random.nextInt(15), "ts", ts));
        }
        // the batch result: per user, the clicks of each minute, and the minute's rank among the user's minutes
        Map<String, TreeMap<Long, Long>> perUser = new TreeMap<>();
        for (Map<String, Object> c : clicks) {
            long ts = (Long) c.get("ts");
            perUser.computeIfAbsent((String) c.get("user"), u -> new TreeMap<>())
                    .merge(ts - Math.floorMod(ts, MINUTE), 1L, Long::sum);
        }
        List<String> expected = new ArrayList<>();
        perUser.forEach((user, minutes) -> {
            long nth = 0;
            for (Map.Entry<Long, Long> m : minutes.entrySet()) {
                expected.add(user + " " + m.getKey() + " " + m.getValue() + " #" + ++nth);
            }
        });

        try (PipelineRun run = PipelineRun.start(spec, broker, options());
                Producer producer = broker.producer()) {
            for (Map<String, Object> c : clicks.subList(0, 1_000)) {
                producer.send("clicks", Event.of("k" + random.nextInt(100), Json.writeString(c), 0));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> run.metrics().get("count").in() >= 1_000);
        } // a clean stop checkpoints the state and timers of every partition
        try (PipelineRun run = PipelineRun.start(spec, broker, options());
                Producer producer = broker.producer()) {
            for (Map<String, Object> c : clicks.subList(1_000, clicks.size())) {
                producer.send("clicks", Event.of("k" + random.nextInt(100), Json.writeString(c), 0));
            }
            for (int b = 0; b < 3; b++) { // event time far ahead in every by-key partition
                producer.send(
                        "clicks",
                        Event.of(
                                "end",
                                Json.writeString(
                                        Map.of("user", KeyPartitioner.keyFor("end-", b, 3), "ts", T0 + 600 * MINUTE)),
                                0));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> results().size() >= expected.size());
            assertThat(results()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(run.queryState("count", "u1", Duration.ofSeconds(5)))
                    .singleElement()
                    .satisfies(state -> assertThat(state).containsKey("emitted").containsEntry("key", "u1"));
        }
    }

    private List<String> results() {
        List<String> out = new ArrayList<>();
        for (ConsumedEvent e : TopicReads.readAll(broker, "per-minute")) {
            Map<String, Object> f = Json.parseObject(e.value());
            if (!f.get("user").toString().startsWith("end")) {
                out.add(f.get("user") + " " + f.get("minute") + " " + f.get("clicks") + " #" + f.get("nth"));
            }
        }
        return out;
    }
}
