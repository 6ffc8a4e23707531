package dev.sluice.stream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.Event;
import dev.sluice.broker.Producer;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.log.io.FileTrees;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.Windows;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Event time through a by-key topic, in running pipelines on the embedded broker, whatever the partition counts, the
 * number of keys (few keys leave by-key partitions without events), the disorder (within the out-of-orderness), a
 * quiet moment in the middle and a last event far ahead: every window whose end is behind the input's final event
 * time comes out exactly once, with the batch answer, live (without any new event after the input); and when the run
 * then ends as a bounded one, every window comes out, the last ones too, each once, with the batch answer.
 */
class EventTimeProperties {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();
    private static final long OUT_OF_ORDER = 5_000;

    @Property(tries = 8)
    void shouldEmitEveryClosedWindowOnceLiveAndEveryWindowAtTheEnd(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int partitions,
            @ForAll @IntRange(min = 1, max = 2) int parallelism,
            @ForAll @IntRange(min = 1, max = 12) int pages,
            @ForAll @IntRange(min = 0, max = 5_000) int disorder,
            @ForAll boolean quietMoment,
            @ForAll boolean lastFarAhead)
            throws Exception {
        Path dir = Files.createTempDirectory("event-time");
        String into = "views-" + seed + "-" + System.nanoTime();
        Random random = new Random(seed);
        List<Map<String, Object>> clicks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // never more than `disorder` behind any event before it: nothing is late anywhere
            long ts = T0 + i * 900L - random.nextInt(disorder + 1);
            clicks.add(Map.of("page", "/p" + random.nextInt(pages), "user", "u" + random.nextInt(50), "ts", ts));
        }
        if (lastFarAhead) {
            clicks.add(Map.of("page", "/p0", "user", "u0", "ts", T0 + 400 * 900L + 15 * MINUTE));
        }
        long finalEventTime =
                clicks.stream().mapToLong(c -> (Long) c.get("ts")).max().orElseThrow();
        TreeMap<String, Long> all = batch(clicks, Long.MAX_VALUE);
        TreeMap<String, Long> closed = batch(clicks, finalEventTime - OUT_OF_ORDER);
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                PipelineRun run = PipelineRun.start(spec(partitions, parallelism, into), broker, options(dir))) {
            try (Producer producer = broker.producer()) {
                for (int i = 0; i < clicks.size(); i++) {
                    Map<String, Object> c = clicks.get(i);
                    producer.send("clicks", Event.of((String) c.get("user"), Json.writeString(c), 0));
                    if (quietMoment && i == clicks.size() / 2) {
                        producer.flush();
                        Thread.sleep(1_500); // longer than the idle timeout
                    }
                }
            }
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> collected(into).size() >= closed.size());
                Thread.sleep(1_500); // a window that comes out twice, or one too many, would be here by now
                assertThat(collected(into))
                        .as("live: every window behind the final event time, once")
                        .isEqualTo(closed);
                assertThat(run.awaitEnd(Duration.ofSeconds(30))).isTrue();
                assertThat(collected(into)).as("at the end: every window, once").isEqualTo(all);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\nmetrics: " + run.metrics(), e);
            }
        } finally {
            TestConnectors.COLLECTED.remove(into);
            FileTrees.delete(dir);
        }
    }

    private static PipelineSpec spec(int partitions, int parallelism, String into) {
        return Pipeline.named("p")
                .topic("clicks", partitions)
                .sink(
                        "views",
                        "collect",
                        Map.of("into", into),
                        s -> s.from("clicks")
                                .parse("json")
                                .window(Windows.tumbling("1m")
                                        .by("page")
                                        .time("ts")
                                        .outOfOrder("5s")
                                        .idleTimeout("1s")
                                        .aggregate("views", "count()"))
                                .parallelism(parallelism))
                .build();
    }

    private static RuntimeOptions options(Path dir) {
        return RuntimeOptions.defaults(dir)
                .withConnectors(TestConnectors.all())
                .withBackoff(new Backoff(10, 100))
                .withCheckpointInterval(500);
    }

    /** Views per page and minute of the windows that end at or before {@code upTo}. */
    private static TreeMap<String, Long> batch(List<Map<String, Object>> clicks, long upTo) {
        TreeMap<String, Long> views = new TreeMap<>();
        for (Map<String, Object> c : clicks) {
            long ts = (Long) c.get("ts");
            long start = ts - Math.floorMod(ts, MINUTE);
            if (start + MINUTE <= upTo) {
                views.merge(c.get("page") + "@" + Instant.ofEpochMilli(start), 1L, Long::sum);
            }
        }
        return views;
    }

    /** What the sink got, as views per page and minute; a window that came out twice fails. */
    private static TreeMap<String, Long> collected(String into) {
        TreeMap<String, Long> got = new TreeMap<>();
        for (String v : TestConnectors.COLLECTED.getOrDefault(into, List.of())) {
            Map<String, Object> r = Json.parseObject(v.getBytes(StandardCharsets.UTF_8));
            String id = r.get("page") + "@" + r.get("window_start");
            Long before = got.put(id, ((Number) r.get("views")).longValue());
            assertThat(before).as("one result per page and minute: %s", id).isNull();
        }
        return got;
    }
}
