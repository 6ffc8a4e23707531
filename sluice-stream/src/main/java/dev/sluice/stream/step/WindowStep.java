package dev.sluice.stream.step;

import dev.sluice.broker.Header;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.window.Aggregation;
import dev.sluice.stream.window.Aggregations;
import dev.sluice.stream.window.Window;
import dev.sluice.stream.window.WindowOperator;
import dev.sluice.stream.window.Windowing;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code window:} aggregates events by key over event-time windows and emits one event per key and window: the key
 * fields, {@code window_start}, {@code window_end} (ISO-8601) and the aggregations. Event time comes from a field
 * ({@code time}) or the event timestamp; the watermark trails the latest event time of each input partition by {@code
 * out-of-order}, and is the minimum over partitions that are not idle. A window's result comes out when the watermark
 * passes its end; an event up to {@code lateness} behind that updates it (the result comes out again, marked {@code
 * update}); a later one goes to the late-events topic with the reason. With {@code early}, open windows also emit
 * their current result at that interval of processing time. State is held per input partition.
 */
public final class WindowStep implements StatefulStep {
    /** Header saying what a result is: {@code final}, {@code update} or {@code early}. */
    public static final String RESULT_HEADER = "sluice.window.result";

    /** The {@link #RESULT_HEADER} of each kind of result, made once. */
    private static final Header[] KIND_HEADERS = java.util.Arrays.stream(WindowOperator.Kind.values())
            .map(k -> Header.of(RESULT_HEADER, k.label()))
            .toArray(Header[]::new);

    private static final List<String> SHAPES = List.of("tumbling", "hopping", "sliding", "session");
    private static final List<String> OPTIONAL =
            List.of("by", "time", "out-of-order", "lateness", "idle-timeout", "early", "late-events");

    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "window";
        }

        @Override
        public String usage() {
            return "window: {tumbling: 1m, by: page, time: ts, aggregate: {views: count(), users: count_distinct(user)}}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            Location at = spec.location();
            Map<String, Object> m = Args.map(spec.argument(), at, "window", usage().substring("window: ".length()));
            List<String> allowed = new ArrayList<>(SHAPES);
            allowed.addAll(OPTIONAL);
            allowed.add(UPSTREAM);
            Args.checkKeys(m, at, "window", List.of("aggregate"), allowed);
            Settings s = new Settings(
                    windowing(m, at),
                    m.containsKey("by") ? Args.strings(m.get("by"), at, "by", "[page, country]") : null,
                    m.containsKey("time") ? FieldPath.of(Args.string(m.get("time"), at, "time")) : null,
                    aggregations(m.get("aggregate"), at),
                    Args.optionalMillis(m, "out-of-order", 0, at),
                    Args.optionalMillis(m, "lateness", 0, at),
                    Args.optionalMillis(m, "idle-timeout", 30_000, at),
                    Args.optionalMillis(m, "early", 0, at),
                    m.containsKey("late-events")
                            ? Args.string(m.get("late-events"), at, "late-events")
                            : context.scope() + ".late",
                    InputTimes.upstream(m.get(UPSTREAM), at));
            if (s.idleTimeoutMs() <= 0) {
                throw new PipelineException(at, "'idle-timeout' must be above 0.");
            }
            return new WindowStep(s, context.clock());
        }

        private static Windowing windowing(Map<String, Object> m, Location at) {
            List<String> given = SHAPES.stream().filter(m::containsKey).toList();
            if (given.size() != 1) {
                throw new PipelineException(
                        at,
                        "window needs exactly one of tumbling, hopping, sliding or session"
                                + (given.isEmpty() ? "" : " (got " + String.join(" and ", given) + ")")
                                + ", such as 'tumbling: 1m', 'hopping: {size: 10m, advance: 1m}', 'sliding: 10m' or"
                                + " 'session: 30m'.");
            }
            try {
                return switch (given.get(0)) {
                    case "tumbling" -> new Windowing.Tumbling(Args.durationMillis(m.get("tumbling"), at, "tumbling"));
                    case "hopping" -> {
                        Map<String, Object> h = Args.map(m.get("hopping"), at, "hopping", "{size: 10m, advance: 1m}");
                        Args.checkKeys(h, at, "hopping", List.of("size", "advance"), List.of());
                        yield new Windowing.Hopping(
                                Args.durationMillis(h.get("size"), at, "hopping.size"),
                                Args.durationMillis(h.get("advance"), at, "hopping.advance"));
                    }
                    case "sliding" -> new Windowing.Sliding(Args.durationMillis(m.get("sliding"), at, "sliding"));
                    default -> new Windowing.Session(Args.durationMillis(m.get("session"), at, "session"));
                };
            } catch (IllegalArgumentException e) {
                throw new PipelineException(at, e.getMessage() + ".");
            }
        }

        private static List<Aggregation> aggregations(Object value, Location at) {
            Map<String, Object> m = Args.map(value, at, "aggregate", "{views: count(), users: count_distinct(user)}");
            if (m.isEmpty()) {
                throw new PipelineException(at, "'aggregate' needs at least one result, such as 'views: count()'.");
            }
            List<Aggregation> out = new ArrayList<>();
            m.forEach((output, call) -> {
                try {
                    out.add(Aggregations.parse(output, Args.string(call, at, "aggregate." + output)));
                } catch (IllegalArgumentException e) {
                    throw new PipelineException(at, e.getMessage() + ".");
                }
            });
            return out;
        }
    }

    /**
     * A window step as configured.
     *
     * @param by the fields results are grouped by, or null for the event key
     * @param time the event-time field, or null for the event timestamp
     * @param earlyMs interval of early results, or 0 for results on close only
     * @param upstream the partitions events were read from before the runtime partitioned them by key (event time is
     *     tracked per upstream partition), or null when the window reads them directly
     */
    record Settings(
            Windowing windowing,
            List<String> by,
            FieldPath time,
            List<Aggregation> aggregations,
            long outOfOrderMs,
            long latenessMs,
            long idleTimeoutMs,
            long earlyMs,
            String lateTopic,
            List<TopicPartition> upstream) {}

    private final Settings settings;
    private final Clock clock;
    private final GroupKey key;
    private final List<String> names;
    private Window lastWindow;
    private String lastStart;
    private String lastEnd;
    private final InputTimes times;
    private final EventTime eventTime;
    private final Map<TopicPartition, WindowOperator> operators = new HashMap<>();

    private long lastEarly;

    WindowStep(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.key = new GroupKey(settings.by());
        this.names = key.names();
        this.times = new InputTimes(settings.upstream(), settings.outOfOrderMs(), settings.idleTimeoutMs());
        this.eventTime = new EventTime(settings.time(), "window");
        this.lastEarly = clock.millis();
    }

    /** The fields results are grouped by, or null when they are grouped by the event key. */
    public List<String> groupedBy() {
        return settings.by();
    }

    @Override
    public List<String> ownTopics() {
        return List.of(settings.lateTopic());
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        Map<String, Object> fields = record.fields();
        long time = eventTime.of(record);
        Object group = key.of(record);
        TopicPartition partition = InputTimes.partitionOf(record);
        long now = clock.millis();
        if (!times.onEvent(partition, times.originOf(record), time, now)) {
            return; // read again from the by-key topic after the stage before it was restarted: counted already
        }
        long watermark = times.watermark(partition, now);
        WindowOperator operator = operators.computeIfAbsent(partition, p -> newOperator());
        if (!operator.add(group, time, fields, watermark, r -> out.accept(toRecord(r)))) {
            throw new LateEventException(
                    settings.lateTopic(),
                    "late event: its event time " + Instant.ofEpochMilli(time) + " is behind the watermark "
                            + Instant.ofEpochMilli(watermark) + " by more than the allowed lateness ("
                            + settings.latenessMs() + " ms), so every window it belongs to is closed");
        }
    }

    /** State is held per assigned partition; see {@link InputTimes} for how event time is tracked. */
    @Override
    public void onAssigned(Collection<TopicPartition> partitions, long nowMs) {
        for (TopicPartition p : partitions) {
            times.assign(p, nowMs);
            operators.computeIfAbsent(p, x -> newOperator());
        }
    }

    @Override
    public void pause(long ms) {
        times.pause(ms);
    }

    @Override
    public void onProgress(TopicPartition partition, ProgressReport report, long nowMs) {
        times.onProgress(partition, report, nowMs);
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            times.revoke(p);
            operators.remove(p);
        }
    }

    @Override
    public List<Map<String, Object>> query(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object candidate : GroupKey.candidates(text)) {
            for (WindowOperator operator : operators.values()) {
                for (WindowOperator.Result r : operator.resultsFor(candidate)) {
                    Map<String, Object> fields = toRecord(r).fields();
                    fields.put("closed", r.kind() == WindowOperator.Kind.FINAL);
                    out.add(fields);
                }
            }
            if (!out.isEmpty()) {
                break;
            }
        }
        return out;
    }

    @Override
    public StateChanges changes(TopicPartition partition) {
        WindowOperator operator = operators.get(partition);
        if (operator == null) {
            return StateChanges.NONE;
        }
        WindowOperator.Snapshot snapshot = operator.snapshot();
        return new StateChanges() {
            @Override
            public int size() {
                return snapshot.size();
            }

            @Override
            public void forEach(BiConsumer<byte[], byte[]> sink) {
                snapshot.forEach((slot, saved) -> sink.accept(entryKey(slot), entryValue(saved)));
            }
        };
    }

    @Override
    public void saveAll(TopicPartition partition, BiConsumer<byte[], byte[]> entries) {
        WindowOperator operator = operators.get(partition);
        if (operator != null) {
            operator.saveAll((slot, saved) -> entries.accept(entryKey(slot), entryValue(saved)));
        }
    }

    private static byte[] entryKey(WindowOperator.SlotKey slot) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("k", slot.key());
        key.put("s", slot.window().start());
        key.put("e", slot.window().end());
        return Json.write(key);
    }

    private static byte[] entryValue(Object saved) {
        return saved == null ? null : Json.write(Map.of("v", saved));
    }

    @Override
    public Map<String, Object> checkpointState(TopicPartition partition) {
        return times.save(partition, clock.millis());
    }

    @Override
    public void restore(TopicPartition partition, Collection<byte[][]> entries, Map<String, Object> kept) {
        WindowOperator operator = newOperator();
        for (byte[][] e : entries) {
            Map<String, Object> k = Json.parseObject(e[0]);
            Window w = new Window(((Number) k.get("s")).longValue(), ((Number) k.get("e")).longValue());
            operator.restore(
                    new WindowOperator.SlotKey(k.get("k"), w),
                    Json.parseObject(e[1]).get("v"));
        }
        operators.put(partition, operator);
        times.restore(partition, kept, clock.millis());
    }

    @Override
    public void onTime(long nowMs, Consumer<StreamRecord> out) {
        Consumer<WindowOperator.Result> emit = r -> out.accept(toRecord(r));
        operators.forEach((p, operator) -> operator.advance(times.watermark(p, nowMs), emit));
        if (settings.earlyMs() > 0 && nowMs - lastEarly >= settings.earlyMs()) {
            lastEarly = nowMs;
            operators.forEach((p, operator) -> operator.emitEarly(times.watermark(p, nowMs), emit));
        }
    }

    @Override
    public void onInputEnd(Collection<TopicPartition> partitions, long nowMs, Consumer<StreamRecord> out) {
        Consumer<WindowOperator.Result> emit = r -> out.accept(toRecord(r));
        for (TopicPartition p : partitions) {
            WindowOperator operator = operators.get(p);
            if (operator != null) {
                operator.advance(times.watermark(p, nowMs), emit); // what is due anyway goes as usual
                operator.emitOpen(emit);
            }
        }
    }

    private WindowOperator newOperator() {
        return new WindowOperator(
                settings.windowing(), settings.latenessMs(), settings.aggregations(), true, this::resultFields);
    }

    /** A result's fields before its values: the key's fields, then the window's times. */
    private Map<String, Object> resultFields(Object key, Window w) {
        Map<String, Object> value = new LinkedHashMap<>(
                2 * (names.size() + 2 + settings.aggregations().size()));
        if (key instanceof List<?> parts) {
            for (int i = 0; i < parts.size(); i++) {
                value.put(names.get(i), parts.get(i));
            }
        } else {
            value.put(names.get(0), key);
        }
        if (!w.equals(lastWindow)) { // the results of one window come out together: format its times once
            lastWindow = w;
            lastStart = Instant.ofEpochMilli(w.start()).toString();
            lastEnd = Instant.ofEpochMilli(w.end()).toString();
        }
        value.put("window_start", lastStart);
        value.put("window_end", lastEnd);
        return value;
    }

    /** A result as an event: its fields (from {@link #resultFields}, then the values), keyed by the group. */
    private static StreamRecord toRecord(WindowOperator.Result r) {
        List<Header> headers = new ArrayList<>(1);
        headers.add(KIND_HEADERS[r.kind().ordinal()]);
        return new StreamRecord(
                GroupKey.bytes(r.key()), r.values(), headers, r.window().end() - 1, null);
    }
}
