package dev.sluice.testkit;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Header;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Connectors;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.join.VersionedTable;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.Output;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.spec.StageSpec;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.step.LateEventException;
import dev.sluice.stream.step.StatefulStep;
import dev.sluice.stream.step.Step;
import dev.sluice.stream.step.StepContext;
import dev.sluice.stream.step.Steps;
import dev.sluice.stream.step.WindowStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one stage of a pipeline on the calling thread, with no broker and a manual clock: {@link #pipe} events with
 * their timestamps, {@link #advance} processing time (idle inputs, early results), and read what came out, what was
 * dead-lettered and what was too late. A stage that ends in a sink writes to it as it would in a run (a DuckDB file,
 * a PostgreSQL table), so a test can query the sink. Deterministic and quick: nothing waits. Not thread-safe.
 *
 * <pre>{@code
 * try (StageDriver d = StageDriver.of(PipelineYaml.load(file), "per-minute", dir)) {
 *     d.pipe("u1", Map.of("page", "/a", "ts", "2026-11-26T10:00:05Z"));
 *     d.pipe("u2", Map.of("page", "/a", "ts", "2026-11-26T10:01:10Z"));   // closes 10:00
 *     assertThat(d.outputs()).extracting(r -> r.fields().get("views")).containsExactly(1L);
 * }
 * }</pre>
 */
public final class StageDriver implements AutoCloseable {
    private static final TopicPartition INPUT = new TopicPartition("input", 0);

    private final StageSpec stage;
    private final ManualClock clock;
    private final List<Step> steps = new ArrayList<>();
    private final List<String> stepNames = new ArrayList<>();
    private final List<Consumer<StreamRecord>> chain = new ArrayList<>();
    private final List<StreamRecord> collected = new ArrayList<>();
    private final List<TestRecord> outputs = new ArrayList<>();
    private final List<TestRecord> deadLetters = new ArrayList<>();
    private final List<TestRecord> late = new ArrayList<>();
    private final Sink sink;
    private long offset;
    /** The tables the stage's join steps read, by topic: filled by {@link #putTableRow}. */
    private final Map<String, VersionedTable> tables = new HashMap<>();

    private StageDriver(StageSpec stage, ManualClock clock, Path baseDir, String pipeline, Connectors connectors)
            throws Exception {
        this.stage = stage;
        this.clock = clock;
        StepContext context = new StepContext(baseDir, clock)
                .forScope(pipeline + "." + stage.name())
                .withTables(
                        source -> tables.computeIfAbsent(source.topic(), t -> new VersionedTable(source.historyMs())));
        for (int i = 0; i < stage.steps().size(); i++) {
            StepSpec s = stage.steps().get(i);
            steps.add(Steps.create(s, context));
            stepNames.add((i + 1) + ":" + s.kind());
        }
        for (Step step : steps) {
            step.open();
        }
        Consumer<StreamRecord> next = collected::add;
        chain.add(next);
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            Consumer<StreamRecord> downstream = next;
            next = r -> step.apply(r, downstream);
            chain.add(0, next);
        }
        for (Step s : steps) {
            if (s instanceof StatefulStep stateful) {
                stateful.onAssigned(List.of(INPUT), clock.millis());
            }
        }
        if (stage.output() instanceof Output.ToSink out) {
            SinkConnector connector = connectors.sink(out.type(), stage.location());
            Config config = Config.check("sink " + stage.name(), out.config(), connector.keys(), stage.location());
            sink = connector.create(
                    config, new ConnectorContext(pipeline, stage.name(), "input", baseDir, clock, 0, stage.location()));
            sink.open();
        } else {
            sink = null;
        }
    }

    /**
     * @param stageName a stage or sink of the pipeline
     * @param baseDir what relative paths in it (enrich files, DuckDB files) are resolved against
     * @throws PipelineException for an unknown stage or a bad step or sink setting
     */
    public static StageDriver of(PipelineSpec pipeline, String stageName, Path baseDir) throws Exception {
        StageSpec stage = pipeline.stages().stream()
                .filter(s -> s.name().equals(stageName))
                .findFirst()
                .orElseThrow(() -> new PipelineException(
                        Location.DSL,
                        "no stage '" + stageName + "' in pipeline " + pipeline.name() + "; stages: "
                                + pipeline.stages().stream()
                                        .map(StageSpec::name)
                                        .toList()));
        return new StageDriver(
                stage,
                new ManualClock(Instant.parse("2026-01-01T00:00:00Z")),
                baseDir,
                pipeline.name(),
                Connectors.discover());
    }

    /**
     * Writes a row of a table a {@code join} step of the stage reads, valid from {@code validFrom} (as if its topic
     * had it with that timestamp); null fields delete the key from then on.
     *
     * @throws IllegalArgumentException if no join step of the stage reads this table
     */
    public StageDriver putTableRow(String topic, String key, Map<String, Object> fields, Instant validFrom) {
        VersionedTable table = tables.get(topic);
        if (table == null) {
            throw new IllegalArgumentException("no join step of stage '" + stage.name() + "' reads table '" + topic
                    + "'" + (tables.isEmpty() ? "" : "; it reads " + tables.keySet()));
        }
        table.put(
                key,
                validFrom.toEpochMilli(),
                fields == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
        return this;
    }

    /** Feeds an event with these fields, timestamped with the current processing time. */
    public StageDriver pipe(String key, Map<String, Object> fields) throws SinkException {
        return pipe(key, Json.writeString(fields), clock.millis());
    }

    /** Feeds an event as raw text (JSON, CSV, ...), as a producer would send it. */
    public StageDriver pipe(String key, String value, long timestamp) throws SinkException {
        return pipe(key, value, timestamp, List.of());
    }

    /**
     * Feeds an event of another topic the stage reads: the stream a {@code join: {stream: ...}} step matches with.
     * It is timestamped with the current processing time.
     */
    public StageDriver pipeFrom(String topic, String key, Map<String, Object> fields) throws SinkException {
        return pipe(
                key,
                Json.writeString(fields),
                clock.millis(),
                List.of(Header.of(StatefulStep.ORIGIN_HEADER, topic + "/0/" + offset)));
    }

    private StageDriver pipe(String key, String value, long timestamp, List<Header> headers) throws SinkException {
        ConsumedEvent e = new ConsumedEvent(
                INPUT.topic(),
                INPUT.partition(),
                offset++,
                timestamp,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                headers);
        collected.clear();
        try {
            chain.get(0).accept(StreamRecord.of(e));
        } catch (LateEventException error) {
            late.add(refused(e, error.getMessage()));
        } catch (RuntimeException error) {
            deadLetters.add(refused(e, error.getMessage()));
        }
        deliver(new ArrayList<>(collected));
        return fireTimers();
    }

    /** Moves processing time on, and lets stateful steps hand over what is due (idle inputs, early results). */
    public StageDriver advance(Duration d) throws SinkException {
        clock.advance(d);
        return fireTimers();
    }

    private StageDriver fireTimers() throws SinkException {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof StatefulStep s) {
                Consumer<StreamRecord> downstream = chain.get(i + 1);
                collected.clear();
                s.onTime(clock.millis(), downstream);
                deliver(new ArrayList<>(collected));
            }
        }
        return this;
    }

    private void deliver(List<StreamRecord> records) throws SinkException {
        if (records.isEmpty()) {
            return;
        }
        for (StreamRecord r : records) {
            @SuppressWarnings("unchecked") // a copy: fields may hold nulls, and the sink may change the record's
            Map<String, Object> fields =
                    (Map<String, Object>) Json.deepCopy(r.isParsed() ? r.fields() : Json.parseObject(r.valueBytes()));
            outputs.add(
                    new TestRecord(r.keyAsString(), fields, r.timestamp(), r.header(WindowStep.RESULT_HEADER), null));
        }
        if (sink != null) {
            sink.write(records);
        }
    }

    private static TestRecord refused(ConsumedEvent e, String reason) {
        Map<String, Object> fields;
        try {
            fields = Json.parseObject(e.value());
        } catch (RuntimeException notJson) {
            fields = Map.of("value", e.valueAsString());
        }
        return new TestRecord(e.keyAsString(), fields, e.timestamp(), null, reason);
    }

    /** What the stage emitted so far (to its topic or its sink), in order. */
    public List<TestRecord> outputs() {
        return List.copyOf(outputs);
    }

    /** Events that failed a step, with the reason. */
    public List<TestRecord> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** Events a window refused as too late, with the reason. */
    public List<TestRecord> lateEvents() {
        return List.copyOf(late);
    }

    public ManualClock clock() {
        return clock;
    }

    public String stageName() {
        return stage.name();
    }

    @Override
    public void close() throws Exception {
        for (Step s : steps) {
            s.close();
        }
        if (sink != null) {
            sink.close();
        }
    }
}
