package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.GroupDescription;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exactly-once Kafka-to-Kafka stage, its {@code sluice run} process killed with SIGKILL three times in the middle:
 * a {@code read_committed} reader of its output and dead-letter topics sees every result exactly once.
 */
@ExtendWith(CpuHog.Beside.class)
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
                SluiceProcess.kill(p); // SIGKILL, in the middle of a transaction most of the time
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

    /**
     * A window grouped by page, exactly-once on Kafka (its by-key stage too), killed three times: every window's final
     * result is in the output once, equal to a batch count; the state restored from the changelog, which each
     * transaction writes with the outputs and offsets, never counts an event twice.
     */
    @Test
    void shouldEmitEachWindowOnceWithItsExactCountAcrossKills() throws Exception {
        Path file = viewsPipeline("eosw");
        try (Broker broker = Brokers.open(kafka.url())) {
            broker.admin().createTopic(NewTopic.of("eosw-clicks", 3));
            produceClicks(broker, "eosw", Integer.MAX_VALUE);
            Random random = new Random(5);
            for (int round = 0; round < 3; round++) {
                Process p = sluice(file, "run", file.toString());
                // in the middle of the work, and sooner than Kafka aborts what the last one left open (transaction
                // timeout 10 s): each restore waits for that
                Thread.sleep(4_000 + random.nextInt(5_000));
                SluiceProcess.kill(p);
            }
            assertEveryWindowOnce(broker, "eosw", sluice(file, "run", file.toString()));
        }
    }

    /**
     * The same window with a second process joining while the first works, then the first killed, while clicks keep
     * coming: partitions move between live tasks (transactions in flight are aborted and their state rolled back) and
     * to a task already ahead in event time (the moved partition keeps its own watermark); the origin partitions the
     * killed process read before the by-key topic are silent until the second takes them over, 10 s later, and hold
     * the watermark meanwhile rather than go idle after 3 s. Every window still comes out once, exact.
     */
    @Test
    void shouldEmitEachWindowOnceWhileProcessesJoinAndDie() throws Exception {
        Path file = viewsPipeline("eoss");
        try (Broker broker = Brokers.open(kafka.url())) {
            broker.admin().createTopic(NewTopic.of("eoss-clicks", 3));
            Process first = sluice(file, "run", file.toString());
            var clicks = java.util.concurrent.CompletableFuture.runAsync(() -> produceClicks(broker, "eoss", 10_000));
            Thread.sleep(3_000);
            Process second = sluice(file, "run", file.toString());
            // both processes read the clicks for the by-key topic, and both count windows
            awaitTwoOwners(broker, "eoss.per-minute.partition");
            awaitTwoOwners(broker, "eoss.per-minute");
            Thread.sleep(1_000);
            SluiceProcess.kill(first);
            assertThat(clicks.isDone())
                    .as("clicks still coming when the first process dies")
                    .isFalse();
            clicks.get(2, TimeUnit.MINUTES);
            assertEveryWindowOnce(broker, "eoss", second);
        }
    }

    private static void awaitTwoOwners(Broker broker, String group) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long owners = 0;
        while (owners < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            owners = broker.admin().describeGroup(group).partitions().stream()
                    .map(GroupDescription.PartitionLag::owner)
                    .filter(o -> o != null)
                    .distinct()
                    .count();
        }
        assertThat(owners).as("members of " + group + " that own partitions").isEqualTo(2);
    }

    private static final int CLICKS = 200_000; // enough that kills fall in the middle of the work on a fast machine too
    private static final int PAGES = 5;

    private Path viewsPipeline(String name) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        // every by-key partition gets pages (/p3 -> 0, /p0 and /p2 -> 1, /p1 and /p4 -> 2), so no input is idle while
        // clicks flow; the idle timeout is shorter than a restart on Kafka takes (a killed member's session times out
        // after 10 s, then its partitions move): the inputs whose stage before was killed stop reporting progress and
        // hold the watermark rather than go idle, or their clicks would come late (this test failed that way with 3 s
        // before the by-key stage reported its progress)
        Files.writeString(file, """
                pipeline: %1$s
                broker: %2$s
                topics:
                  %1$s-clicks: {partitions: 3}
                  %1$s-views: {partitions: 1}
                stages:
                  - name: per-minute
                    from: %1$s-clicks
                    guarantee: exactly-once
                    steps:
                      - parse: json
                      - window:
                          tumbling: 1m
                          by: page
                          time: ts
                          out-of-order: 30s
                          idle-timeout: 3s
                          aggregate: {views: count()}
                    to: %1$s-views
                """.formatted(name, kafka.url()));
        return file;
    }

    /**
     * Event time: four clicks a second (48 views per page and minute), pages in turn, from a minute a day ago (Kafka
     * refuses results timestamped more than an hour ahead, and deletes those older than a week); about {@code
     * perSecond} of them a second in processing time.
     */
    private static void produceClicks(Broker broker, String name, int perSecond) {
        long base = (System.currentTimeMillis() - 86_400_000L) / 60_000 * 60_000;
        long start = System.nanoTime();
        try (Producer p = broker.producer()) {
            for (int i = 0; i < CLICKS; i++) {
                String value = "{\"page\": \"/p" + (i % PAGES) + "\", \"ts\": " + (base + i * 250L) + "}";
                p.send(name + "-clicks", Event.of("u" + (i % 97), value, System.currentTimeMillis()));
                long ahead = (long) i * 1_000 / perSecond - (System.nanoTime() - start) / 1_000_000;
                if (ahead > 50) {
                    p.flush();
                    sleep(ahead);
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits (with {@code last} running) until every closed window is out, then checks each is there once, exact. */
    private void assertEveryWindowOnce(Broker broker, String name, Process last) throws InterruptedException {
        // closed: the windows that end at or before the watermark, 30 s behind the last click
        int expected = (int) (((CLICKS - 1) * 250L - 30_000) / 60_000) * PAGES;
        Map<String, List<Long>> windows;
        try {
            // a restore may wait for transactions the killed processes left open to time out
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            do {
                windows = committedWindows(broker, name);
            } while (windows.size() < expected && System.nanoTime() < deadline);
        } finally {
            last.destroyForcibly();
            last.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(windows).as(this::logsOrError).hasSize(expected);
        Map<String, List<Long>> wrong = new java.util.TreeMap<>();
        windows.forEach((window, counts) -> {
            if (counts.size() != 1 || counts.get(0) != 48L) {
                wrong.put(window, counts);
            }
        });
        assertThat(wrong)
                .as(() -> "windows without exactly one result of 48 views; late events: "
                        + readCommitted(broker, name + ".per-minute.late", 1).values().stream()
                                .mapToInt(Integer::intValue)
                                .sum()
                        + "; by-key: " + byKey(broker, name) + "; logs in " + logsOrError())
                .isEmpty();
    }

    /** Diagnostics: per by-key partition, events per origin and origin offsets that go back. */
    private static String byKey(Broker broker, String name) {
        StringBuilder out = new StringBuilder();
        for (int part = 0; part < 3; part++) {
            Map<String, Long> last = new HashMap<>();
            Map<String, Integer> count = new HashMap<>();
            List<String> back = new ArrayList<>();
            Map<String, Integer> firstMinutes = new java.util.TreeMap<>();
            for (ConsumedEvent e : readAll(broker, new TopicPartition(name + ".per-minute.by-key", part))) {
                if (e.value() == null) {
                    continue; // a progress report
                }
                String origin = origin(e);
                String from = origin.substring(0, origin.lastIndexOf('/'));
                long offset = Long.parseLong(origin.substring(origin.lastIndexOf('/') + 1));
                Long before = last.put(from, offset);
                if (before != null && offset <= before && back.size() < 10) {
                    back.add(from + ": " + before + " -> " + offset + " at " + e.offset());
                }
                count.merge(from, 1, Integer::sum);
                var v = dev.sluice.stream.json.Json.parseObject(e.value());
                long ts = ((Number) v.get("ts")).longValue();
                String key = v.get("page") + "@" + (ts / 60_000 % 100_000);
                if (firstMinutes.size() < 12 || firstMinutes.containsKey(key)) {
                    firstMinutes.merge(key, 1, Integer::sum);
                }
            }
            out.append("\n  partition ")
                    .append(part)
                    .append(": per origin ")
                    .append(count)
                    .append(", going back ")
                    .append(back)
                    .append(", first windows ")
                    .append(firstMinutes);
            out.append(checkpoints(broker, name, part));
        }
        Map<String, Integer> lateByOrigin = new java.util.TreeMap<>();
        List<String> samples = new ArrayList<>();
        for (ConsumedEvent e : readAll(broker, new TopicPartition(name + ".per-minute.late", 0))) {
            String origin = origin(e);
            lateByOrigin.merge(origin.substring(0, origin.lastIndexOf('/')), 1, Integer::sum);
            if (samples.size() < 3) {
                StringBuilder h = new StringBuilder();
                e.headers()
                        .forEach(x -> h.append(x.key())
                                .append('=')
                                .append(x.valueAsString())
                                .append(' '));
                samples.add(h.toString());
            }
        }
        out.append("\n  late by origin ").append(lateByOrigin).append(" e.g. ").append(samples);
        return out.toString();
    }

    /**
     * Diagnostics: each checkpoint in the changelog of a by-key partition, whether the origin offsets it counts are
     * those of the last events before its offset.
     */
    private static String checkpoints(Broker broker, String name, int part) {
        List<ConsumedEvent> input = readAll(broker, new TopicPartition(name + ".per-minute.by-key", part));
        String changelog = broker.admin().listTopics(true).stream()
                .filter(t -> t.equals(name + ".per-minute.changelog"))
                .findFirst()
                .orElse("none");
        if (changelog.equals("none")) {
            return " no changelog in " + broker.admin().listTopics(true);
        }
        List<ConsumedEvent> log = readAll(broker, new TopicPartition(changelog, part));
        StringBuilder out = new StringBuilder("\n    changelog " + changelog + "/" + part + ": " + log.size()
                + " entries; inconsistent checkpoints:");
        int shown = 0;
        int checkpoints = 0;
        for (ConsumedEvent e : log) {
            if (!e.keyAsString().equals("checkpoint")) {
                continue;
            }
            checkpoints++;
            var m = dev.sluice.stream.json.Json.parseObject(e.value());
            long offset = ((Number) m.get("offset")).longValue();
            Map<?, ?> step = (Map<?, ?>) m.get("step");
            Map<?, ?> counted = step == null ? null : (Map<?, ?>) step.get("counted");
            Map<String, Long> expected = new java.util.TreeMap<>();
            for (ConsumedEvent in : input) {
                if (in.offset() >= offset) {
                    break;
                }
                if (in.value() == null) {
                    continue; // a progress report
                }
                String origin = origin(in);
                expected.put(
                        origin.substring(0, origin.lastIndexOf('/')),
                        Long.parseLong(origin.substring(origin.lastIndexOf('/') + 1)));
            }
            Map<String, Long> actual = new java.util.TreeMap<>();
            if (counted != null) {
                counted.forEach((k, v) -> actual.put(k.toString(), ((Number) v).longValue()));
            }
            if (!actual.equals(expected) && shown++ < 8) {
                out.append("\n      at changelog offset " + e.offset() + ": input offset " + offset + " counted "
                        + actual + " but the input before it ends at " + expected + " step " + step);
            }
        }
        return out.append(" (")
                .append(shown)
                .append(" of ")
                .append(checkpoints)
                .append(")")
                .toString();
    }

    /** Where an event of a by-key topic was read before it ({@code topic/partition/offset}). */
    private static String origin(ConsumedEvent e) {
        return e.headers().stream()
                .filter(h -> h.key().equals(dev.sluice.stream.step.StatefulStep.ORIGIN_HEADER))
                .map(dev.sluice.broker.Header::valueAsString)
                .findFirst()
                .orElse("?/?/-1");
    }

    private static List<ConsumedEvent> readAll(Broker broker, TopicPartition tp) {
        List<ConsumedEvent> out = new ArrayList<>();
        try (Consumer c = broker.consumer(
                ConsumerConfig.defaults().withReadCommitted(true).withMaxPollEvents(5_000))) {
            c.assign(List.of(tp));
            for (List<ConsumedEvent> b = c.poll(Duration.ofSeconds(2));
                    !b.isEmpty();
                    b = c.poll(Duration.ofMillis(500))) {
                out.addAll(b);
            }
        }
        return out;
    }

    /** The views of each page and window in the output, as read_committed readers see them, in order. */
    private static Map<String, List<Long>> committedWindows(Broker broker, String name) {
        Map<String, List<Long>> out = new HashMap<>();
        try (Consumer c = broker.consumer(
                ConsumerConfig.defaults().withReadCommitted(true).withMaxPollEvents(5_000))) {
            c.assign(List.of(new TopicPartition(name + "-views", 0)));
            for (List<ConsumedEvent> batch = c.poll(Duration.ofSeconds(2));
                    !batch.isEmpty();
                    batch = c.poll(Duration.ofMillis(500))) {
                for (ConsumedEvent e : batch) {
                    var v = dev.sluice.stream.json.Json.parseObject(e.value());
                    out.computeIfAbsent(v.get("page") + "@" + v.get("window_start"), k -> new ArrayList<>())
                            .add(((Number) v.get("views")).longValue());
                }
            }
        }
        return out;
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
        return SluiceProcess.start(file.getParent(), dir.resolve("run-" + runs++ + ".log"), args);
    }
}
