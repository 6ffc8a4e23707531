package dev.sluice.bench.kafka;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.sluice.broker.Event;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Connectors;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import dev.sluice.stream.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The events of the pipeline benchmarks: five fields from Sluice's generator (id, user, page, agent, amount), half of
 * them bots. Event n is always the same event, so every contender gets the same input.
 */
final class BenchEvents {
    static final Map<String, Object> FIELDS = fields();
    private static final ObjectReader JACKSON = Json.mapper().readerFor(Map.class);

    private BenchEvents() {}

    private static Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", "sequence");
        f.put("user", Map.of("int", List.of(1, 1000)));
        f.put("page", Map.of("one-of", List.of("/", "/a", "/b", "/c")));
        f.put("agent", Map.of("one-of", List.of("human", "bot")));
        f.put("amount", Map.of("uniform", List.of(1, 100)));
        return f;
    }

    /** Hands the first {@code count} events to {@code each}, in order. */
    static void generate(long count, Consumer<Event> each) throws Exception {
        SourceConnector gen = Connectors.discover().source("generator", null);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("count", count);
        config.put("fields", FIELDS);
        try (Source source = gen.create(
                Config.check("gen", config, gen.keys(), null),
                new ConnectorContext("bench", "gen", "raw", Path.of("."), Clock.systemUTC(), 0, null))) {
            source.open(null);
            for (var b = source.poll(Duration.ofSeconds(1)); b != null; b = source.poll(Duration.ofSeconds(1))) {
                b.events().forEach(each);
            }
        }
    }

    /** What a Kafka application does with a JSON value: Jackson's data binding to a map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> jackson(byte[] json) {
        try {
            return JACKSON.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many of the first {@code count} events are not bots. */
    static long humans(long count) throws Exception {
        long[] n = {0};
        generate(count, e -> {
            if (!"bot".equals(Json.parseObject(e.value()).get("agent"))) {
                n[0]++;
            }
        });
        return n[0];
    }
}
