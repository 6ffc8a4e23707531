package dev.sluice.stream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.step.StatefulStep;
import dev.sluice.stream.step.StepContext;
import dev.sluice.stream.step.Steps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A window's state through its changelog: checkpointed, cut short, restored. */
class StateCheckpointsTest {
    private static final TopicPartition IN = new TopicPartition("in", 0);
    private static final long T0 = 1_800_000_000_000L;

    @TempDir
    Path dir;

    EmbeddedBroker broker;
    Producer producer;

    @BeforeEach
    void open() {
        broker = EmbeddedBroker.open(dir.resolve("data"));
        broker.admin().createTopic(NewTopic.of("in", 1));
        broker.admin().createTopic(new NewTopic("p.s.changelog", 1, Changelog.TOPIC_CONFIG));
        producer = broker.producer();
    }

    @AfterEach
    void close() {
        producer.close();
        broker.close();
    }

    @Test
    void shouldRestoreTheStateOfTheLastCheckpointAndIgnoreACheckpointCutShort() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            Map<String, Object> click = Map.of(
                    "page", "/p" + random.nextInt(5),
                    "user", "u" + random.nextInt(40),
                    "ms", random.nextInt(1000),
                    "ts", T0 + i * 1_000L + random.nextInt(8_000));
            producer.send("in", Event.of(null, Json.writeString(click), 0)).get();
        }
        Changelog changelog = new Changelog(broker, "p.s.changelog", List.of(IN));

        // the task before the crash: 200 events, a checkpoint, 60 more, then a checkpoint cut short
        StatefulStep before = window();
        Map<String, String> atCheckpoint;
        try (Consumer consumer = consumerAt(0)) {
            Delivery delivery = new AtLeastOnceDelivery(producer, consumer, new Metrics(), false);
            StateCheckpoints checkpoints = checkpoints(changelog, before, consumer, delivery);
            feed(before, consumer, 200, new ArrayList<>());
            checkpoints.checkpointNow(List.of(IN));
            atCheckpoint = state(before);
            feed(before, consumer, 60, new ArrayList<>());
            before.drainChanges(IN, (k, v) -> producer.send(changelog.partitionFor(IN), Changelog.entry(k, v, 0)));
            producer.flush();
        }
        assertThat(atCheckpoint).isNotEmpty();

        // the task after the crash: the checkpointed state, and the input from the checkpoint's offset
        StatefulStep after = window();
        List<StreamRecord> resumed = new ArrayList<>();
        try (Consumer consumer = consumerAt(0)) {
            Delivery delivery = new AtLeastOnceDelivery(producer, consumer, new Metrics(), false);
            StateCheckpoints checkpoints = checkpoints(changelog, after, consumer, delivery);
            after.onAssigned(List.of(IN), 0);
            checkpoints.restore(List.of(IN));
            assertThat(consumer.position(IN)).isEqualTo(200);
            assertThat(state(after)).isEqualTo(atCheckpoint);
            feed(after, consumer, 100, resumed);
        }

        // a task that never crashed
        StatefulStep reference = window();
        List<StreamRecord> all = new ArrayList<>();
        try (Consumer consumer = consumerAt(0)) {
            feed(reference, consumer, 300, all);
        }
        assertThat(state(after)).isEqualTo(state(reference));
        Map<String, Object> expected = results(all);
        Map<String, Object> got = results(resumed);
        assertThat(got).isNotEmpty();
        got.forEach((window, values) -> assertThat(values).as(window).isEqualTo(expected.get(window)));

        // and a restore after the overwrite sees the same state again
        StatefulStep again = window();
        try (Consumer consumer = consumerAt(0)) {
            Delivery delivery = new AtLeastOnceDelivery(producer, consumer, new Metrics(), false);
            again.onAssigned(List.of(IN), 0);
            checkpoints(changelog, again, consumer, delivery).restore(List.of(IN));
            assertThat(state(again)).isEqualTo(atCheckpoint);
        }
    }

    private StatefulStep window() {
        Map<String, Object> argument = Map.of(
                "tumbling",
                "1m",
                "by",
                "page",
                "time",
                "ts",
                "out-of-order",
                "10s",
                "lateness",
                "30s",
                "aggregate",
                Map.of(
                        "views", "count()",
                        "users", "count_distinct(user)",
                        "p90", "percentile(ms, 90)",
                        "top", "top(user, 2)"));
        return (StatefulStep) Steps.create(
                new StepSpec("window", argument, Location.DSL),
                new StepContext(dir, Clock.systemUTC()).forScope("p.s"));
    }

    private StateCheckpoints checkpoints(Changelog changelog, StatefulStep step, Consumer consumer, Delivery d) {
        return new StateCheckpoints(
                changelog, step, consumer, d, producer, Clock.systemUTC(), 60_000, new Metrics(), false);
    }

    private Consumer consumerAt(long offset) {
        Consumer c = broker.consumer(ConsumerConfig.group("g").withMaxPollEvents(1));
        c.assign(List.of(IN));
        c.seek(IN, offset);
        return c;
    }

    /** Reads n events one by one through the step, as a task would, and fires its timers after each. */
    private static void feed(StatefulStep step, Consumer consumer, int n, List<StreamRecord> out) {
        for (int read = 0; read < n; ) {
            for (ConsumedEvent e : consumer.poll(Duration.ofSeconds(1))) {
                StreamRecord r = StreamRecord.of(e);
                r.value(Json.parseObject(e.value()));
                step.apply(r, out::add);
                step.onTime(0, out::add);
                read++;
            }
        }
    }

    private static Map<String, String> state(StatefulStep step) {
        Map<String, String> state = new TreeMap<>();
        step.saveAll(
                IN, (k, v) -> state.put(new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8)));
        return state;
    }

    /** The last result of each page and window. */
    private static Map<String, Object> results(List<StreamRecord> records) {
        Map<String, Object> out = new TreeMap<>();
        for (StreamRecord r : records) {
            Map<String, Object> f = r.fields();
            out.put(f.get("page") + "@" + f.get("window_start"), f);
        }
        return out;
    }
}
