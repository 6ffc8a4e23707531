package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.expr.Expression;
import dev.sluice.stream.expr.Expressions;
import dev.sluice.stream.spec.StepSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code dedupe: {key: "event.order_id", within: 10m}} drops an event whose key was seen less than {@code within} ago
 * (by event timestamp) in this task. State is kept per task, in memory, and bounded by {@code max-keys} (oldest keys
 * are forgotten first); it is not restored after a restart.
 */
final class DedupeStep implements Step {
    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "dedupe";
        }

        @Override
        public String usage() {
            return "dedupe: {key: \"event.order_id\", within: 10m, max-keys: 1000000}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            var at = spec.location();
            Map<String, Object> m = Args.map(spec.argument(), at, "dedupe", "{key: \"event.id\", within: 10m}");
            Args.checkKeys(m, at, "dedupe", List.of("key", "within"), List.of("max-keys"));
            Expression key = Expressions.compile(Args.string(m.get("key"), at, "key"), at, "dedupe.key");
            long within = Args.durationMillis(m.get("within"), at, "within");
            int maxKeys = m.containsKey("max-keys") ? Args.positiveInt(m.get("max-keys"), at, "max-keys") : 1_000_000;
            return new DedupeStep(key, within, maxKeys);
        }
    }

    private final Expression key;
    private final long withinMs;
    private final LinkedHashMap<Object, Long> seen;

    private DedupeStep(Expression key, long withinMs, int maxKeys) {
        this.key = key;
        this.withinMs = withinMs;
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Long> eldest) {
                return size() > maxKeys;
            }
        };
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        Object k = key.evaluate(record);
        if (k == null) {
            throw new StepException("dedupe key '" + key + "' is null for this event");
        }
        Long last = seen.get(k);
        long ts = record.timestamp();
        if (last != null && Math.abs(ts - last) < withinMs) {
            return;
        }
        seen.remove(k);
        seen.put(k, ts);
        out.accept(record);
    }
}
