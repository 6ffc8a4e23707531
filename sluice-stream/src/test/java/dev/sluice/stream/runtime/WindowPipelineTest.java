package dev.sluice.stream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.KeyPartitioner;
import dev.sluice.broker.Producer;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.Windows;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.step.ProgressReport;
import dev.sluice.stream.step.WindowStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windowed aggregations in running pipelines on the embedded broker. */
class WindowPipelineTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    EmbeddedBroker broker;

    @BeforeEach
    void open() {
        broker = EmbeddedBroker.open(dir.resolve("data"));
        TestConnectors.COLLECTED.clear();
    }

    @AfterEach
    void close() {
        broker.close();
    }

    RuntimeOptions options() {
        return RuntimeOptions.defaults(dir).withConnectors(TestConnectors.all()).withBackoff(new Backoff(10, 100));
    }

    @Test
    void shouldCountViewsAndDistinctUsersPerPageAndMinuteAsABatchComputationWould() throws Exception {
        PipelineSpec spec = Pipeline.named("p")
                .topic("clicks", 3)
                .sink(
                        "views",
                        "collect",
                        Map.of("into", "views"),
                        s -> s.from("clicks")
                                .parse("json")
                                .step(
                                        "window",
                                        Map.of(
                                                "tumbling", "1m",
                                                "by", "page",
                                                "time", "ts",
                                                "out-of-order", "30s",
                                                "idle-timeout", "2s",
                                                "aggregate",
                                                        new LinkedHashMap<>(Map.of(
                                                                "views", "count()",
                                                                "users", "count_distinct(user)")))))
                .build();
        // keyed by user, so the events of one page are spread over all three partitions
        Random random = new Random(7);
        List<Map<String, Object>> clicks = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            long ts = T0 + i * 500L + random.nextInt(20_000) - 10_000; // up to 10 s out of order
            clicks.add(Map.of("page", "/p" + random.nextInt(4), "user", "u" + random.nextInt(30), "ts", ts));
        }
        // expected: a plain batch computation over the same events
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Set<Object>> users = new TreeMap<>();
        for (Map<String, Object> c : clicks) {
            long ts = (Long) c.get("ts");
            String id = c.get("page") + "@" + Instant.ofEpochMilli(ts - Math.floorMod(ts, MINUTE));
            counts.computeIfAbsent(id, k -> new long[1])[0]++;
            users.computeIfAbsent(id, k -> new HashSet<>()).add(c.get("user"));
        }
        long lastMinuteStart = T0 + 600 * 500L + 10_000;
        lastMinuteStart -= Math.floorMod(lastMinuteStart, MINUTE);
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            try (Producer producer = broker.producer()) {
                for (Map<String, Object> c : clicks) {
                    producer.send("clicks", event((String) c.get("user"), c));
                }
                // an event far ahead from every input partition into every by-key partition moves event time past
                // the last minute everywhere
                for (int p = 0; p < 3; p++) {
                    for (int byKey = 0; byKey < 3; byKey++) {
                        producer.send(
                                "clicks",
                                event(
                                        KeyPartitioner.keyFor("key-", p, 3),
                                        Map.of(
                                                "page",
                                                KeyPartitioner.keyFor("/end-", byKey, 3),
                                                "user",
                                                "x",
                                                "ts",
                                                lastMinuteStart + 5 * MINUTE)));
                    }
                }
            }
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> TestConnectors.COLLECTED
                                        .getOrDefault("views", List.of())
                                        .size()
                                >= counts.size());
            } catch (Throwable e) {
                throw new AssertionError(
                        run.metrics() + " " + counts.keySet() + " " + TestConnectors.COLLECTED.get("views"), e);
            }
            assertThat(run.metrics()).containsKey("views.partition"); // the by-key topic in between
        }
        Map<String, long[]> got = new TreeMap<>();
        for (String v : TestConnectors.COLLECTED.get("views")) {
            Map<String, Object> r = Json.parseObject(v.getBytes(StandardCharsets.UTF_8));
            String id = r.get("page") + "@" + r.get("window_start");
            assertThat(got.put(
                            id,
                            new long[] {((Number) r.get("views")).longValue(), ((Number) r.get("users")).longValue()}))
                    .as("one result per page and minute: %s", id)
                    .isNull();
        }
        assertThat(got.keySet()).isEqualTo(counts.keySet());
        counts.forEach((id, n) -> {
            assertThat(got.get(id)[0]).as("views of %s", id).isEqualTo(n[0]);
            assertThat(got.get(id)[1])
                    .as("users of %s", id)
                    .isEqualTo(users.get(id).size());
        });
    }

    @Test
    void shouldSendEventsLaterThanTheAllowedLatenessToTheLateEventsTopicWithTheReason() throws Exception {
        PipelineSpec spec =
                counting(1, Windows.tumbling("1m").time("ts").lateness("2m").aggregate("n", "count()"));
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            try (Producer producer = broker.producer()) {
                producer.send("clicks", event("a", Map.of("ts", T0 + 1_000)));
                producer.send("clicks", event("a", Map.of("ts", T0 + 2 * MINUTE + 1_000))); // closes minute 0
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> readAll("counts").size() >= 1);
            try (Producer producer = broker.producer()) {
                producer.send("clicks", event("a", Map.of("ts", T0 + 2_000))); // within lateness: an update
                producer.send("clicks", event("a", Map.of("ts", T0 + 4 * MINUTE))); // minute 0 is gone for good
                producer.send("clicks", event("a", Map.of("ts", T0 + 3_000))); // too late
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> run.metrics().get("count").late() == 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> readAll("counts").size() >= 3);
        }
        List<ConsumedEvent> late = readAll("p.count.late");
        assertThat(late).hasSize(1);
        assertThat(late.get(0).valueAsString()).contains(Long.toString(T0 + 3_000));
        assertThat(header(late.get(0), "sluice.dlq.message"))
                .startsWith("late event: its event time 2026-11-26T10:00:03Z is behind the watermark");
        assertThat(header(late.get(0), "sluice.dlq.step")).isEqualTo("2:window");
        List<String> results = readAll("counts").stream()
                .map(e -> header(e, WindowStep.RESULT_HEADER) + " "
                        + Json.parseObject(e.value()).get("window_start") + " "
                        + Json.parseObject(e.value()).get("n"))
                .toList();
        assertThat(results)
                .startsWith(
                        "final 2026-11-26T10:00:00Z 1",
                        "update 2026-11-26T10:00:00Z 2",
                        "final 2026-11-26T10:02:00Z 1");
        assertThat(readAll("p.count.dlq")).isEmpty();
    }

    @Test
    void shouldCloseWindowsWhileOnePartitionStaysSilent() throws Exception {
        PipelineSpec spec =
                counting(2, Windows.tumbling("1m").time("ts").idleTimeout("1s").aggregate("n", "count()"));
        String onlyPartitionZero = KeyPartitioner.keyFor("key-", 0, 2);
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            try (Producer producer = broker.producer()) {
                for (int i = 0; i < 10; i++) {
                    producer.send("clicks", event(onlyPartitionZero, Map.of("ts", T0 + i * 15_000L)));
                }
            }
            // partition 1 never speaks; without idle detection its watermark would hold every window open
            await().atMost(Duration.ofSeconds(20)).until(() -> readAll("counts").size() >= 2);
        }
        List<String> results = readAll("counts").stream()
                .map(e -> Json.parseObject(e.value()).get("window_start") + " "
                        + Json.parseObject(e.value()).get("n"))
                .toList();
        assertThat(results).startsWith("2026-11-26T10:00:00Z 4", "2026-11-26T10:01:00Z 4");
    }

    /**
     * Behind the by-key topic, a silent origin partition is idle only because the stage before reports that it reads
     * it and has nothing (without its reports it would hold every window open, as a stage before that is down must).
     */
    @Test
    void shouldCloseWindowsBehindTheByKeyTopicWhileOneOriginPartitionStaysSilent() throws Exception {
        PipelineSpec spec = counting(
                2,
                Windows.tumbling("1m").by("page").time("ts").idleTimeout("1s").aggregate("n", "count()"));
        String onlyPartitionZero = KeyPartitioner.keyFor("key-", 0, 2);
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            try (Producer producer = broker.producer()) {
                for (int i = 0; i < 10; i++) {
                    producer.send("clicks", event(onlyPartitionZero, Map.of("page", "/a", "ts", T0 + i * 15_000L)));
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> readAll("counts").size() >= 2);
            assertThat(readAll("p.count.by-key").stream()
                            .map(ProgressReports::read)
                            .filter(r -> r != null)
                            .flatMap(r -> r.origins().stream())
                            .filter(o -> o.origin().partition() == 1)
                            .map(o -> o.quietMs() >= 1_000 && o.latestEventTime() == ProgressReport.NO_TIME)
                            .toList())
                    .as("the reports of the stage before: clicks/1 has been quiet for the idle timeout")
                    .contains(true);
            assertThat(readAll("p.count.dlq")).as("reports are not events").isEmpty();
        }
        List<String> results = readAll("counts").stream()
                .map(e -> Json.parseObject(e.value()).get("window_start") + " "
                        + Json.parseObject(e.value()).get("n"))
                .toList();
        assertThat(results).startsWith("2026-11-26T10:00:00Z 4", "2026-11-26T10:01:00Z 4");
    }

    /**
     * Issue 17, point 1: a by-key partition's windows close when the input's event time passes them, even when none of
     * the events that moved it on lands in that partition (the last click, far ahead, reaches one of three).
     */
    @Test
    void shouldCloseEveryWindowBehindTheInputsEventTimeWhileItsByKeyPartitionIsQuiet() throws Exception {
        PipelineSpec spec = counting(
                3,
                3, // a task per by-key partition: the tasks that do not get the last click hold no other event time
                Windows.tumbling("1m")
                        .by("page")
                        .time("ts")
                        .outOfOrder("5s")
                        .idleTimeout("1s")
                        .aggregate("n", "count()"));
        Random random = new Random(3);
        Map<String, Long> expected = new TreeMap<>();
        try (PipelineRun run = PipelineRun.start(spec, broker, options());
                Producer producer = broker.producer()) {
            for (int i = 0; i < 600; i++) {
                long ts = T0 + i * 200L;
                String page = "/p" + random.nextInt(7);
                producer.send("clicks", event("u" + random.nextInt(100), Map.of("page", page, "ts", ts)));
                expected.merge(page + " " + Instant.ofEpochMilli(ts - Math.floorMod(ts, MINUTE)), 1L, Long::sum);
            }
            producer.send("clicks", event("u1", Map.of("page", "/p0", "ts", T0 + 17 * MINUTE)));
            producer.flush();
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> readAll("counts").size() >= expected.size());
            } catch (Throwable e) {
                throw new AssertionError(readAll("counts").size() + " of " + expected.size() + " windows", e);
            }
        }
        Map<String, Long> got = new TreeMap<>();
        for (ConsumedEvent e : readAll("counts")) {
            Map<String, Object> r = Json.parseObject(e.value());
            got.merge(r.get("page") + " " + r.get("window_start"), ((Number) r.get("n")).longValue(), Long::sum);
        }
        assertThat(got).as("every window once, with the batch count").isEqualTo(expected);
    }

    @Test
    void shouldDeadLetterAnEventWithoutItsTimeFieldAndGoOn() throws Exception {
        PipelineSpec spec = counting(1, Windows.tumbling("1m").time("ts").aggregate("n", "count()"));
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            try (Producer producer = broker.producer()) {
                producer.send("clicks", event("a", Map.of("ts", T0)));
                producer.send("clicks", event("a", Map.of("ts", "yesterday-ish")));
                producer.send("clicks", event("a", Map.of("ts", T0 + 5 * MINUTE)));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> readAll("counts").size() >= 1);
        }
        List<ConsumedEvent> dead = readAll("p.count.dlq");
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), "sluice.dlq.message")).startsWith("window time field 'ts':");
    }

    @Test
    void shouldAnswerQueriesAboutTheCurrentResultsOfAKey() throws Exception {
        PipelineSpec spec = counting(
                2, Windows.tumbling("1m").by("page").time("ts").lateness("5m").aggregate("n", "count()"));
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            try (Producer producer = broker.producer()) {
                for (int i = 0; i < 5; i++) {
                    producer.send("clicks", event("u" + i, Map.of("page", "/a", "ts", T0 + i * 1_000L)));
                }
                producer.send("clicks", event("u9", Map.of("page", "/b", "ts", T0 + 2_000)));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> run.queryState("count", "/a", Duration.ofSeconds(5)).stream()
                            .anyMatch(r -> ((Number) r.get("n")).longValue() == 5));
            List<Map<String, Object>> open = run.queryState("count", "/a", Duration.ofSeconds(5));
            assertThat(open).hasSize(1);
            assertThat(open.get(0))
                    .containsEntry("page", "/a")
                    .containsEntry("window_start", "2026-11-26T10:00:00Z")
                    .containsEntry("closed", false);
            assertThat(run.queryState("count", "/nowhere", Duration.ofSeconds(5)))
                    .isEmpty();
            assertThatThrownBy(() -> run.queryState("nope", "/a", Duration.ofSeconds(1)))
                    .hasMessageStartingWith("no stage 'nope' in pipeline p; stages: [count.partition, count]");
            assertThatThrownBy(() -> run.queryState("count.partition", "/a", Duration.ofSeconds(1)))
                    .hasMessage("stage 'count.partition' keeps no state (it has no window or stream join)");
        }
    }

    /** Clicks in as many partitions, counted by a window in one task, results out to "counts". */
    private static PipelineSpec counting(int partitions, Windows window) {
        return counting(partitions, 1, window);
    }

    private static PipelineSpec counting(int partitions, int tasks, Windows window) {
        return Pipeline.named("p")
                .topic("clicks", partitions)
                .topic("counts", 1)
                .stage(
                        "count",
                        s -> s.from("clicks")
                                .parse("json")
                                .window(window)
                                .parallelism(tasks)
                                .to("counts"))
                .build();
    }

    private static Event event(String key, Map<String, Object> fields) {
        return Event.of(key, Json.writeString(fields), 0);
    }

    private List<ConsumedEvent> readAll(String topic) {
        return TopicReads.readAll(broker, topic);
    }

    private static String header(ConsumedEvent e, String name) {
        return TopicReads.header(e, name);
    }
}
