package dev.sluice.stream.step;

import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.state.KeyedContext;
import dev.sluice.stream.state.KeyedFunction;
import dev.sluice.stream.state.Timers;
import dev.sluice.stream.state.internal.DiskStore;
import dev.sluice.stream.state.internal.KeyValueStore;
import dev.sluice.stream.state.internal.KeyedStateBackend;
import dev.sluice.stream.state.internal.MemoryStore;
import dev.sluice.stream.state.internal.TimerQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code process:} runs a {@link KeyedFunction} written in Java on each event, with state and timers per key ({@code
 * by} fields, or the event key). Event time comes from {@code time} or the event timestamp, with watermarks as in a
 * window; event-time timers fire when the watermark reaches them, processing-time timers when the clock does. The
 * state (values, maps and timers) is held per input partition and checkpointed into the stage's changelog.
 */
final class ProcessStep implements StatefulStep {
    /** The argument key the Java DSL passes the function's supplier under. */
    static final String FUNCTION = "function";

    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "process";
        }

        @Override
        public String usage() {
            return "process: {class: com.example.MyFunction, by: user_id, time: ts}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            Location at = spec.location();
            Map<String, Object> m = Args.map(spec.argument(), at, "process", "{class: com.example.MyFunction}");
            Args.checkKeys(
                    m,
                    at,
                    "process",
                    List.of(),
                    List.of(
                            FUNCTION,
                            "class",
                            "by",
                            "time",
                            "out-of-order",
                            "idle-timeout",
                            "store",
                            "cache-mb",
                            UPSTREAM));
            long idleTimeout = Args.optionalMillis(m, "idle-timeout", 30_000, at);
            if (idleTimeout <= 0) {
                throw new PipelineException(at, "'idle-timeout' must be above 0.");
            }
            Settings settings = new Settings(
                    m.containsKey("by") ? Args.strings(m.get("by"), at, "by", "[user_id]") : null,
                    new EventTime(
                            m.containsKey("time") ? FieldPath.of(Args.string(m.get("time"), at, "time")) : null,
                            "process"),
                    Args.optionalMillis(m, "out-of-order", 0, at),
                    idleTimeout,
                    InputTimes.upstream(m.get(UPSTREAM), at),
                    stores(m, at));
            return new ProcessStep(settings, function(m, at), context.clock());
        }

        private static Supplier<KeyValueStore> stores(Map<String, Object> m, Location at) {
            String store = m.containsKey("store") ? Args.string(m.get("store"), at, "store") : "memory";
            int cacheMb = m.containsKey("cache-mb") ? Args.positiveInt(m.get("cache-mb"), at, "cache-mb") : 16;
            if (store.equals("memory")) {
                if (m.containsKey("cache-mb")) {
                    throw new PipelineException(
                            at, "'cache-mb' goes with 'store: disk'; state in memory has no cache.");
                }
                return MemoryStore::new;
            }
            if (store.equals("disk")) {
                return () -> new DiskStore(cacheMb);
            }
            throw new PipelineException(
                    at,
                    "'store' must be memory (state on the heap) or disk (state in a file, with 'cache-mb' of it in"
                            + " memory); got '" + store + "'.");
        }

        private static KeyedFunction function(Map<String, Object> m, Location at) {
            if (m.containsKey(FUNCTION) == m.containsKey("class")) {
                throw new PipelineException(
                        at,
                        "process needs 'class': the name of a class that implements " + KeyedFunction.class.getName()
                                + " and has a public constructor without arguments.");
            }
            if (m.get(FUNCTION) instanceof Supplier<?> supplier) {
                return (KeyedFunction) supplier.get();
            }
            String name = Args.string(m.get("class"), at, "class");
            try {
                Class<?> c = Class.forName(name);
                if (!KeyedFunction.class.isAssignableFrom(c)) {
                    throw new PipelineException(
                            at, "class " + name + " does not implement " + KeyedFunction.class.getName() + ".");
                }
                return (KeyedFunction) c.getDeclaredConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                throw new PipelineException(
                        at,
                        "class " + name + " is not on the classpath; put the jar that has it on the classpath of the"
                                + " process that runs the pipeline.");
            } catch (ReflectiveOperationException e) {
                throw new PipelineException(
                        at,
                        "cannot make a " + name + ": it needs a public constructor without arguments ("
                                + e.getClass().getSimpleName() + ").");
            }
        }
    }

    /** @param stores makes the store of one partition's state: on the heap, or on disk with a page cache */
    record Settings(
            List<String> by,
            EventTime time,
            long outOfOrderMs,
            long idleTimeoutMs,
            List<TopicPartition> upstream,
            Supplier<KeyValueStore> stores) {}

    /** How many rounds of event-time timers the end of the input fires, timers set while firing included. */
    private static final int END_ROUNDS = 1_000;

    private final Settings settings;
    private final KeyedFunction function;
    private final Clock clock;
    private final GroupKey key;
    private final InputTimes times;
    private final KeyedStateBackend states;
    private final Map<TopicPartition, TimerQueue> timers = new HashMap<>();
    private final Context context = new Context();

    ProcessStep(Settings settings, KeyedFunction function, Clock clock) {
        this.settings = settings;
        this.function = function;
        this.clock = clock;
        this.key = new GroupKey(settings.by());
        this.times = new InputTimes(settings.upstream(), settings.outOfOrderMs(), settings.idleTimeoutMs());
        this.states = new KeyedStateBackend(settings.stores());
    }

    @Override
    public void close() {
        states.close();
    }

    /** The fields state is kept by, or null for the event key. */
    List<String> groupedBy() {
        return settings.by();
    }

    @Override
    public void open() {
        function.open(states);
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        Map<String, Object> fields = record.fields();
        long time = settings.time().of(record);
        String k = new String(GroupKey.bytes(key.of(record)), StandardCharsets.UTF_8);
        TopicPartition partition = InputTimes.partitionOf(record);
        long now = clock.millis();
        if (!times.onEvent(partition, times.originOf(record), time, now)) {
            return; // read again from the by-key topic after the stage before it was restarted: handled already
        }
        long watermark = times.watermark(partition, now);
        context.at(partition, k, time, watermark, now, out);
        function.onEvent(fields, context);
        fire(partition, true, watermark, watermark, now, out);
    }

    @Override
    public void onTime(long nowMs, Consumer<StreamRecord> out) {
        for (TopicPartition p : new ArrayList<>(timers.keySet())) {
            long watermark = times.watermark(p, nowMs);
            fire(p, true, watermark, watermark, nowMs, out);
            fire(p, false, nowMs, watermark, nowMs, out);
        }
    }

    private void fire(
            TopicPartition p, boolean eventTime, long upTo, long watermark, long now, Consumer<StreamRecord> out) {
        TimerQueue queue = timers.get(p);
        if (queue == null) {
            return;
        }
        for (TimerQueue.Timer t : queue.due(eventTime, upTo)) {
            context.at(p, t.key(), t.time(), watermark, now, out);
            function.onTimer(t.time(), context);
        }
    }

    /** The context handed to the function: the key being processed, its time, timers and output. */
    private final class Context implements KeyedContext, Timers {
        private TopicPartition partition;
        private String key;
        private long time;
        private long watermark;
        private long now;
        private Consumer<StreamRecord> out;

        void at(TopicPartition partition, String key, long time, long watermark, long now, Consumer<StreamRecord> out) {
            this.partition = partition;
            this.key = key;
            this.time = time;
            this.watermark = watermark;
            this.now = now;
            this.out = out;
            states.select(partition, key);
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public long time() {
            return time;
        }

        @Override
        public long watermark() {
            return watermark;
        }

        @Override
        public long processingTime() {
            return now;
        }

        @Override
        public Timers timers() {
            return this;
        }

        @Override
        public void emit(Map<String, Object> fields) {
            out.accept(new StreamRecord(
                    key.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>(fields), new ArrayList<>(0), time, null));
        }

        @Override
        public void atEventTime(long at) {
            queue().add(new TimerQueue.Timer(true, at, key));
        }

        @Override
        public void atProcessingTime(long at) {
            queue().add(new TimerQueue.Timer(false, at, key));
        }

        @Override
        public void cancelEventTime(long at) {
            queue().remove(new TimerQueue.Timer(true, at, key));
        }

        @Override
        public void cancelProcessingTime(long at) {
            queue().remove(new TimerQueue.Timer(false, at, key));
        }

        private TimerQueue queue() {
            return timers.computeIfAbsent(partition, p -> new TimerQueue());
        }
    }

    @Override
    public void onAssigned(Collection<TopicPartition> partitions, long nowMs) {
        for (TopicPartition p : partitions) {
            times.assign(p, nowMs);
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

    /**
     * Fires every event-time timer, as the watermark reaching the end of time would (with {@code watermark()} then
     * {@link Long#MAX_VALUE}), including timers the function sets while they fire, for up to {@value #END_ROUNDS}
     * rounds. Processing-time timers stay for a later run, as they would in Flink.
     */
    @Override
    public void onInputEnd(Collection<TopicPartition> partitions, long nowMs, Consumer<StreamRecord> out) {
        for (TopicPartition p : partitions) {
            for (int round = 0; round < END_ROUNDS; round++) {
                TimerQueue queue = timers.get(p);
                if (queue == null || !queue.hasDue(true, Long.MAX_VALUE)) {
                    break;
                }
                fire(p, true, Long.MAX_VALUE, Long.MAX_VALUE, nowMs, out);
            }
        }
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            times.revoke(p);
            states.drop(p);
            timers.remove(p);
        }
    }

    @Override
    public StateChanges changes(TopicPartition partition) {
        List<KeyedStateBackend.Entry> changed = states.takeChanges(partition);
        return new StateChanges() {
            @Override
            public int size() {
                return changed.size();
            }

            @Override
            public void forEach(BiConsumer<byte[], byte[]> sink) {
                KeyedStateBackend.forEachEntry(changed, sink);
            }
        };
    }

    @Override
    public void saveAll(TopicPartition partition, BiConsumer<byte[], byte[]> entries) {
        KeyedStateBackend.forEachEntry(states.all(partition), entries);
    }

    /** Besides the event-time progress, the partition's timers: {@code [["e" or "p", time, key], ...]}. */
    @Override
    public Map<String, Object> checkpointState(TopicPartition partition) {
        Map<String, Object> kept = times.save(partition, clock.millis());
        List<Object> saved = new ArrayList<>();
        TimerQueue queue = timers.get(partition);
        if (queue != null) {
            for (TimerQueue.Timer t : queue.all()) {
                saved.add(List.of(t.eventTime() ? "e" : "p", t.time(), t.key()));
            }
        }
        kept.put("timers", saved);
        return kept;
    }

    @Override
    public void restore(TopicPartition partition, Collection<byte[][]> entries, Map<String, Object> kept) {
        List<KeyedStateBackend.Entry> restored = new ArrayList<>();
        for (byte[][] e : entries) {
            restored.add(new KeyedStateBackend.Entry(
                    KeyedStateBackend.storeKey(Json.parseObject(e[0])),
                    Json.write(Json.parseObject(e[1]).get("v"))));
        }
        states.restore(partition, restored);
        TimerQueue queue = new TimerQueue();
        if (kept != null && kept.get("timers") instanceof List<?> saved) {
            for (Object o : saved) {
                List<?> t = (List<?>) o;
                queue.add(
                        new TimerQueue.Timer("e".equals(t.get(0)), ((Number) t.get(1)).longValue(), (String) t.get(2)));
            }
        }
        timers.put(partition, queue);
        times.restore(partition, kept, clock.millis());
    }

    /** The state held for a key, by state name (maps as objects), with {@code closed: false}. */
    @Override
    public List<Map<String, Object>> query(String k) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TopicPartition p : states.partitions()) {
            Map<String, Object> state = states.describe(p, k);
            if (!state.isEmpty()) {
                state.put("key", k);
                state.put("closed", false);
                out.add(state);
            }
        }
        return out;
    }
}
