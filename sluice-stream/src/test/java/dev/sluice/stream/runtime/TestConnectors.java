package dev.sluice.stream.runtime;

import dev.sluice.broker.Event;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Connectors;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory connectors for runtime tests: a list source and a collecting sink that can be made to fail. */
final class TestConnectors {
    static final Map<String, List<String>> COLLECTED = new ConcurrentHashMap<>();
    static final Map<String, AtomicBoolean> DOWN = new ConcurrentHashMap<>();
    static final AtomicInteger WRITE_ATTEMPTS = new AtomicInteger();
    /** The positions each list source was told were stored, in order, by source name. */
    static final Map<String, List<Map<String, Object>>> STORED = new ConcurrentHashMap<>();

    private TestConnectors() {}

    static Connectors all() {
        return Connectors.discover().with(new ListSource()).with(new CollectSink());
    }

    /** {@code type: list, values: [...]}: publishes the values (as text), remembering how far it got. */
    static final class ListSource implements SourceConnector {
        @Override
        public String type() {
            return "list";
        }

        @Override
        public String description() {
            return "test values";
        }

        @Override
        public List<ConfigKey> keys() {
            return List.of(
                    ConfigKey.required("values", "[a, b]", "values to publish"),
                    ConfigKey.optional("batch", "10", "per poll"));
        }

        @Override
        public Source create(Config config, ConnectorContext context) {
            List<String> values = config.strings("values");
            int batch = config.positiveInt("batch", 10);
            return new Source() {
                int next;

                @Override
                public void open(Map<String, Object> position) {
                    next = position == null ? 0 : ((Number) position.get("next")).intValue();
                }

                @Override
                public Batch poll(Duration maxWait) {
                    if (next >= values.size()) {
                        return null;
                    }
                    List<Event> events = new ArrayList<>();
                    while (next < values.size() && events.size() < batch) {
                        events.add(Event.of("k" + next, values.get(next), next));
                        next++;
                    }
                    return new Batch(events, Map.of("next", next));
                }

                @Override
                public void stored(Map<String, Object> position) {
                    STORED.computeIfAbsent(context.name(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(position);
                }

                @Override
                public void close() {}
            };
        }
    }

    /**
     * {@code type: collect, name: x}: appends values to {@link #COLLECTED}; throws a retriable error while
     * {@link #DOWN} is set for its name, refuses values containing {@code reject}, and gives up on a value containing
     * {@code give-up} after writing the ones before it, as a sink whose own retries ran out does.
     */
    static final class CollectSink implements SinkConnector {
        @Override
        public String type() {
            return "collect";
        }

        @Override
        public String description() {
            return "test sink";
        }

        @Override
        public List<ConfigKey> keys() {
            return List.of(
                    ConfigKey.required("into", "out", "collection name"),
                    ConfigKey.optional("reject", "bad", "refuse values containing this"),
                    ConfigKey.optional("give-up", "lost", "give up on values containing this"),
                    ConfigKey.optional("crash", "boom", "throw an Error (as a library's failed assertion does)"));
        }

        @Override
        public Sink create(Config config, ConnectorContext context) {
            String into = config.string("into");
            String reject = config.string("reject", null);
            String giveUp = config.string("give-up", null);
            String crash = config.string("crash", null);
            return new Sink() {
                @Override
                public void open() {
                    COLLECTED.computeIfAbsent(into, k -> new CopyOnWriteArrayList<>());
                }

                @Override
                public void write(List<StreamRecord> records) throws SinkException {
                    WRITE_ATTEMPTS.incrementAndGet();
                    if (DOWN.getOrDefault(into, new AtomicBoolean()).get()) {
                        throw SinkException.retriable("collection " + into + " is down", null);
                    }
                    for (StreamRecord r : records) {
                        String v = new String(r.valueBytes(), StandardCharsets.UTF_8);
                        if (crash != null && v.contains(crash)) {
                            throw new AssertionError("a library's own check failed on '" + v + "'");
                        }
                        if (reject != null && v.contains(reject)) {
                            throw SinkException.rejected("value contains '" + reject + "'", null);
                        }
                    }
                    for (int i = 0; i < records.size(); i++) {
                        String v = new String(records.get(i).valueBytes(), StandardCharsets.UTF_8);
                        if (giveUp != null && v.contains(giveUp)) {
                            throw SinkException.undeliverable("gave up on '" + v + "'", null)
                                    .partly(List.of(records.get(i)), records.subList(i + 1, records.size()));
                        }
                        COLLECTED.get(into).add(v);
                    }
                }

                @Override
                public void close() {}
            };
        }
    }
}
