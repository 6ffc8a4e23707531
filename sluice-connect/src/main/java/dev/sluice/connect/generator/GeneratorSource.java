package dev.sluice.connect.generator;

import dev.sluice.broker.Event;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import dev.sluice.stream.json.JsonTemplate;
import dev.sluice.stream.step.Args;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code type: generator}: JSON events made from a template of field generators, at a rate and up to a count, with
 * an optional share of deliberately malformed events. Event number n is always the same event, and the generator
 * resumes from its stored position after a restart, so a run is reproducible.
 */
public final class GeneratorSource implements SourceConnector {
    @Override
    public String type() {
        return "generator";
    }

    @Override
    public String description() {
        return "JSON events from a template of random fields, at a rate and up to a count";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required(
                        "fields",
                        "{id: sequence, page: {one-of: [/, /cart]}}",
                        "the template: field name to generator"),
                ConfigKey.optional("rate", "5000/s", "events per second; unlimited if absent"),
                ConfigKey.optional("count", "100000", "stop after this many events; endless if absent"),
                ConfigKey.optional("key", "user_id", "the field whose value is the event key"),
                ConfigKey.optional("seed", "42", "random seed; the same seed gives the same events"),
                ConfigKey.optional(
                        "malformed", "0.01", "share of events sent as broken JSON, to exercise dead letters"),
                ConfigKey.optional("weights", "{page: [3, 1]}", "weights for one-of fields, by field"));
    }

    @Override
    public Source create(Config config, ConnectorContext context) {
        Map<String, FieldGenerator> fields = new LinkedHashMap<>();
        Map<String, Object> weights = config.has("weights") ? config.map("weights") : Map.of();
        config.map("fields").forEach((name, spec) -> {
            if (weights.containsKey(name) && spec instanceof Map<?, ?> m && m.containsKey("one-of")) {
                List<Object> values = Args.list(m.get("one-of"), config.location(), "fields." + name, "[a, b]");
                List<Object> w = Args.list(weights.get(name), config.location(), "weights." + name, "[3, 1]");
                if (w.size() != values.size()
                        || !w.stream().allMatch(x -> x instanceof Number n && n.doubleValue() >= 0)
                        || w.stream()
                                        .mapToDouble(x -> ((Number) x).doubleValue())
                                        .sum()
                                <= 0) {
                    throw config.error(
                            "weights." + name,
                            "needs one number of 0 or more per value of fields." + name + ".one-of (" + values.size()
                                    + "), not all 0, such as " + java.util.Collections.nCopies(values.size(), 1)
                                    + "; got " + w + ".");
                }
                fields.put(name, FieldGenerator.oneOf(values, w));
            } else {
                fields.put(name, FieldGenerator.parse(name, spec, config));
            }
        });
        if (fields.isEmpty()) {
            throw config.error("fields", "needs at least one field.");
        }
        double rate = config.has("rate") ? rate(config) : 0;
        long count = config.positiveLong("count", Long.MAX_VALUE);
        String key = config.string("key", null);
        if (key != null && !fields.containsKey(key)) {
            throw config.error(
                    "key", "names field '" + key + "', which is not in 'fields'." + Args.suggest(key, fields.keySet()));
        }
        long seed = config.wholeNumber("seed", 42);
        double malformed = config.number("malformed", 0);
        if (malformed < 0 || malformed > 1) {
            throw config.error("malformed", "must be between 0 and 1, got " + malformed + ".");
        }
        return new Generator(fields, rate, count, key, seed, malformed);
    }

    private static double rate(Config config) {
        String s = config.string("rate").trim();
        String number = s.endsWith("/s") ? s.substring(0, s.length() - 2) : s;
        try {
            double r = Double.parseDouble(number);
            if (r > 0) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw config.error("rate", "must be events per second, such as 5000/s; got '" + s + "'.");
    }

    /** The running generator: one thread. */
    static final class Generator implements Source {
        private static final int MAX_BATCH = 2_000;

        private final FieldGenerator[] fields;
        private final JsonTemplate template;
        private final int keyField;
        private final double rate;
        private final long count;
        private final long seed;
        private final double malformed;
        private final Rng rng = new Rng();
        private final long[] fieldSeeds;
        private long next;
        private long startNanos;
        private long startSeq;

        Generator(
                Map<String, FieldGenerator> fields, double rate, long count, String key, long seed, double malformed) {
            this.fields = fields.values().toArray(FieldGenerator[]::new);
            this.template = new JsonTemplate(List.copyOf(fields.keySet()));
            this.keyField = key == null ? -1 : List.copyOf(fields.keySet()).indexOf(key);
            this.rate = rate;
            this.count = count;
            this.seed = seed;
            this.malformed = malformed;
            this.fieldSeeds = fields.keySet().stream()
                    .mapToLong(name -> name.hashCode() * 0xC2B2AE3D27D4EB4FL)
                    .toArray();
        }

        @Override
        public void open(Map<String, Object> position) {
            next = position == null ? 0 : ((Number) position.get("next")).longValue();
            startSeq = next;
            startNanos = System.nanoTime();
        }

        /** An endless generator has nothing from before; one with a count has caught up when it is done. */
        @Override
        public boolean caughtUp() {
            return count == Long.MAX_VALUE || next >= count;
        }

        @Override
        public Batch poll(Duration maxWait) throws InterruptedException {
            if (next >= count) {
                return null;
            }
            long allowed = MAX_BATCH;
            if (rate > 0) {
                double elapsed = (System.nanoTime() - startNanos) / 1e9;
                allowed = Math.min(MAX_BATCH, (long) (elapsed * rate) - (next - startSeq));
                if (allowed <= 0) {
                    long waitNanos = (long) ((next - startSeq + 1) / rate * 1e9) - (System.nanoTime() - startNanos);
                    Thread.sleep(Math.max(1, Math.min(maxWait.toMillis(), waitNanos / 1_000_000)));
                    return new Batch(List.of(), Map.of("next", next));
                }
            }
            long n = Math.min(allowed, count - next);
            List<Event> events = new ArrayList<>((int) n);
            long now = System.currentTimeMillis();
            for (long i = 0; i < n; i++) {
                events.add(event(next++, now));
            }
            return new Batch(events, Map.of("next", next));
        }

        Event event(long seq, long now) {
            long eventSeed = seed * 0x9E3779B97F4A7C15L + seq;
            Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                // each field draws from its own stream, so a value depends on the field's name, not its position
                values[i] = fields[i].value(seq, rng.reset(eventSeed ^ fieldSeeds[i]));
            }
            byte[] value = template.write(values);
            if (malformed > 0 && rng.reset(eventSeed ^ 0x5DEECE66DL).nextDouble() < malformed) {
                value = java.util.Arrays.copyOf(value, value.length / 2); // cut in half: not JSON any more
            }
            Object keyValue = keyField < 0 ? null : values[keyField];
            byte[] k = keyValue == null ? null : keyValue.toString().getBytes(StandardCharsets.UTF_8);
            return Event.of(k, value, now);
        }

        @Override
        public void close() {}
    }
}
