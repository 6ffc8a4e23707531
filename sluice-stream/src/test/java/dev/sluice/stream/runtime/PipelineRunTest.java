package dev.sluice.stream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.spec.PipelineSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunTest {
    @TempDir
    Path dir;

    EmbeddedBroker broker;

    @BeforeEach
    void open() {
        broker = EmbeddedBroker.open(dir.resolve("data"));
        TestConnectors.COLLECTED.clear();
        TestConnectors.DOWN.clear();
    }

    @AfterEach
    void close() {
        broker.close();
    }

    RuntimeOptions options() {
        return RuntimeOptions.defaults(dir).withConnectors(TestConnectors.all()).withBackoff(new Backoff(10, 100));
    }

    @Test
    void shouldRunSourceStageAndSinkAndDeadLetterPoisonEvents() throws Exception {
        List<String> values = List.of(
                "{\"user\":\"a\",\"agent\":\"human\",\"amount\":1}",
                "{\"user\":\"b\",\"agent\":\"bot\",\"amount\":2}",
                "not json",
                "{\"user\":\"c\",\"agent\":\"human\",\"amount\":\"lots\"}",
                "{\"user\":\"d\",\"agent\":\"human\",\"amount\":4}");
        PipelineSpec spec = Pipeline.named("p")
                .topic("in", 2)
                .topic("clean", 2)
                .source("src", "list", "in", Map.of("values", values))
                .stage(
                        "tidy",
                        s -> s.from("in")
                                .parse("json")
                                .filter("event.agent != 'bot'")
                                .map(Map.of("doubled", "event.amount * 2"))
                                .to("clean"))
                .sink("out", "collect", Map.of("into", "out"), s -> s.from("clean"))
                .build();
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            assertThat(run.awaitIdle(Duration.ofSeconds(20))).isTrue();
            assertThat(TestConnectors.COLLECTED.get("out"))
                    .hasSize(2)
                    .allSatisfy(v -> assertThat(v).contains("\"doubled\""));
            assertThat(run.metrics().get("tidy").deadLettered()).isEqualTo(2);
        }
        List<ConsumedEvent> dead = readAll("p.tidy.dlq");
        assertThat(dead).hasSize(2);
        ConsumedEvent notJson = dead.stream()
                .filter(e -> e.valueAsString().equals("not json"))
                .findFirst()
                .orElseThrow();
        assertThat(header(notJson, "sluice.dlq.step")).isEqualTo("1:parse");
        assertThat(header(notJson, "sluice.dlq.stage")).isEqualTo("tidy");
        assertThat(header(notJson, "sluice.dlq.message")).startsWith("not valid JSON");
        assertThat(header(notJson, "sluice.dlq.topic")).isEqualTo("in");
        assertThat(header(notJson, "sluice.dlq.offset")).isNotNull();
        ConsumedEvent lots = dead.stream()
                .filter(e -> e.valueAsString().contains("lots"))
                .findFirst()
                .orElseThrow();
        assertThat(header(lots, "sluice.dlq.step")).isEqualTo("3:map");
    }

    @Test
    void shouldTellASourceEachPositionOnlyOnceItIsStored() throws Exception {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 95; i++) {
            values.add("v" + i);
        }
        PipelineSpec spec = Pipeline.named("p")
                .topic("in", 1)
                .source("told", "list", "in", Map.of("values", values, "batch", 10))
                .build();
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            await().atMost(Duration.ofSeconds(20)).until(run::sourcesFinished);
        }
        List<Map<String, Object>> told = TestConnectors.STORED.get("told");
        assertThat(told).isNotEmpty().last().isEqualTo(Map.of("next", 95));
        // each position told was stored: it is what a restart would resume from
        for (Map<String, Object> position : told) {
            assertThat(((Number) position.get("next")).intValue()).isBetween(10, 95);
        }
        assertThat(readAll("in")).hasSize(95);
        try (dev.sluice.broker.Producer producer = broker.producer()) {
            assertThat(new SourcePositions(broker, producer).load("p", "told")).isEqualTo(Map.of("next", 95));
        }
    }

    @Test
    void shouldRetryASinkThatIsDownAndDeliverEverythingWhenItComesBack() throws Exception {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            values.add("v" + i);
        }
        TestConnectors.DOWN.put("out", new AtomicBoolean(true));
        PipelineSpec spec = Pipeline.named("p")
                .topic("in", 1)
                .source("src", "list", "in", Map.of("values", values))
                .sink("out", "collect", Map.of("into", "out"), s -> s.from("in"))
                .build();
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> run.metrics().get("out").retries() >= 5);
            assertThat(run.metrics().get("out").waitingOn()).isEqualTo("collection out is down");
            assertThat(run.lag("out")).isEqualTo(50);
            TestConnectors.DOWN.get("out").set(false);
            assertThat(run.awaitIdle(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(TestConnectors.COLLECTED.get("out")).containsExactlyInAnyOrderElementsOf(values);
    }

    @Test
    void shouldDeadLetterOnlyTheRecordsTheSinkRefuses() throws Exception {
        PipelineSpec spec = Pipeline.named("p")
                .topic("in", 1)
                .source("src", "list", "in", Map.of("values", List.of("ok1", "bad1", "ok2", "bad2", "ok3"), "batch", 5))
                .sink("out", "collect", Map.of("into", "out", "reject", "bad"), s -> s.from("in"))
                .build();
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            assertThat(run.awaitIdle(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(TestConnectors.COLLECTED.get("out")).containsExactly("ok1", "ok2", "ok3");
        List<ConsumedEvent> dead = readAll("p.out.dlq");
        assertThat(dead).extracting(ConsumedEvent::valueAsString).containsExactly("bad1", "bad2");
        assertThat(header(dead.get(0), "sluice.dlq.step")).isEqualTo("sink");
        assertThat(header(dead.get(0), "sluice.dlq.message")).isEqualTo("value contains 'bad'");
    }

    /**
     * A sink that wrote part of a batch and gave up on one record: the records before it are not written again, the
     * one it gave up on is dead-lettered at once, and the ones after it are written.
     */
    @Test
    void shouldDeadLetterOnlyWhatASinkGaveUpOnAndWriteTheRest() throws Exception {
        PipelineSpec spec = Pipeline.named("p")
                .topic("in", 1)
                .source(
                        "src",
                        "list",
                        "in",
                        Map.of("values", List.of("a", "b", "lost1", "c", "lost2", "d"), "batch", 6))
                .sink("out", "collect", Map.of("into", "out", "give-up", "lost"), s -> s.from("in"))
                .build();
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            assertThat(run.awaitIdle(Duration.ofSeconds(20))).isTrue();
            assertThat(run.metrics().get("out").out()).isEqualTo(4);
        }
        assertThat(TestConnectors.COLLECTED.get("out")).containsExactly("a", "b", "c", "d");
        List<ConsumedEvent> dead = readAll("p.out.dlq");
        assertThat(dead).extracting(ConsumedEvent::valueAsString).containsExactly("lost1", "lost2");
        assertThat(header(dead.get(1), "sluice.dlq.message")).isEqualTo("gave up on 'lost2'");
    }

    @Test
    void shouldResumeSourcesAndStagesWhereTheyStoppedAfterARestart() throws Exception {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            values.add("v" + i);
        }
        PipelineSpec spec = Pipeline.named("p")
                .topic("in", 1)
                .source("src", "list", "in", Map.of("values", values, "batch", 1))
                .sink("out", "collect", Map.of("into", "out"), s -> s.from("in"))
                .build();
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> TestConnectors.COLLECTED
                                    .getOrDefault("out", List.of())
                                    .size()
                            >= 5);
        }
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            assertThat(run.awaitIdle(Duration.ofSeconds(20))).isTrue();
        }
        // nothing lost; nothing published twice because positions were stored after each acknowledged batch
        assertThat(TestConnectors.COLLECTED.get("out")).containsExactlyElementsOf(values);
    }

    @Test
    void shouldStopTheRunWithTheReasonWhenATaskDiesOfAnError() {
        PipelineSpec spec = Pipeline.named("p")
                .topic("in", 1)
                .source("src", "list", "in", Map.of("values", List.of("ok", "boom")))
                .sink("out", "collect", Map.of("into", "out", "crash", "boom"), s -> s.from("in"))
                .build();
        try (PipelineRun run = PipelineRun.start(spec, broker, options())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> run.failure() != null);
            assertThat(run.failure())
                    .isEqualTo("sink out stopped: AssertionError: a library's own check failed on 'boom'");
        }
    }

    @Test
    void shouldRefuseATopicThatExistsWithOtherPartitionsOrSettingsThanDeclared() {
        broker.admin().createTopic(new dev.sluice.broker.NewTopic("orders", 3, Map.of("retention.ms", "86400000")));
        String yaml = """
                pipeline: lake
                topics:
                  orders: {partitions: %s, retention: %s}
                sources:
                  - {name: src, type: list, to: orders, values: ['{"id":1}']}
                """;
        assertThatThrownBy(() -> PipelineRun.start(
                        dev.sluice.stream.yaml.PipelineYaml.parse(yaml.formatted(2, "1d"), "lake.yaml"),
                        broker,
                        options()))
                .isInstanceOf(dev.sluice.stream.spec.PipelineException.class)
                .hasMessage("lake.yaml:3:3: topic 'orders' exists on " + broker.url() + " with 3 partitions, not 2 as"
                        + " declared here. Declare what it has; or change its settings (sluice topics alter orders -c"
                        + " KEY=VALUE); or delete it (sluice topics delete orders, with its events) to have it created"
                        + " as declared; or give this pipeline a data directory of its own (broker: embedded:DIR in"
                        + " the file, or --data-dir).");
        assertThatThrownBy(() -> PipelineRun.start(
                        dev.sluice.stream.yaml.PipelineYaml.parse(yaml.formatted(3, "7d"), "lake.yaml"),
                        broker,
                        options()))
                .hasMessageContaining("with retention.ms=86400000, not 604800000 as declared here.");
        try (PipelineRun run = PipelineRun.start( // the same topic, written another way
                dev.sluice.stream.yaml.PipelineYaml.parse(yaml.formatted(3, "24h"), "lake.yaml"), broker, options())) {
            assertThat(run.failure()).isNull();
        }
    }

    private List<ConsumedEvent> readAll(String topic) {
        return TopicReads.readAll(broker, topic);
    }

    private static String header(ConsumedEvent e, String name) {
        return TopicReads.header(e, name);
    }
}
