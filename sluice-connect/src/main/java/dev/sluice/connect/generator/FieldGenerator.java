package dev.sluice.connect.generator;

import dev.sluice.stream.connector.Config;
import dev.sluice.stream.step.Args;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Makes one field's value for event number {@code seq}, from a random source seeded by the event number, so the same
 * sequence number always gives the same value.
 *
 * <pre>
 * event_id: sequence                      0, 1, 2, ...
 * id: uuid                                a UUID derived from the sequence number
 * ts: now                                 the current time, ISO-8601
 * ts: {now: {late: 0.03, by: [40s, 3m]}}  the current time, but 3% of events 40 s to 3 min in the past
 * page: {one-of: [/, /cart], weights: [3, 1]}
 * qty: {int: [1, 10]}                     whole number, both ends included
 * amount: {uniform: [1.0, 500.0]}         decimal, rounded to cents
 * latency: {normal: [120, 30]}            mean and standard deviation
 * country: PT                             a constant
 * </pre>
 */
interface FieldGenerator {
    Object value(long seq, Rng random);

    static FieldGenerator parse(String field, Object spec, Config config) {
        if ("sequence".equals(spec)) {
            return (seq, r) -> seq;
        }
        if ("uuid".equals(spec)) {
            return (seq, r) -> new UUID(r.nextLong(), r.nextLong()).toString();
        }
        if ("now".equals(spec)) {
            return (seq, r) -> Instant.now().toString();
        }
        if (!(spec instanceof Map<?, ?> m)) {
            return (seq, r) -> spec;
        }
        if (m.size() != 1) {
            throw config.error(
                    "fields." + field,
                    "must have one generator, such as {one-of: [a, b]}, {int: [1, 10]},"
                            + " {uniform: [0, 1]} or {normal: [mean, stddev]}; got " + m.keySet() + ".");
        }
        Map.Entry<?, ?> e = m.entrySet().iterator().next();
        String kind = String.valueOf(e.getKey());
        var at = config.location();
        switch (kind) {
            case "one-of": {
                List<Object> values = Args.list(e.getValue(), at, "fields." + field + ".one-of", "[a, b, c]");
                return oneOf(values, null);
            }
            case "int": {
                long[] range = range(field, e.getValue(), config);
                return (seq, r) -> range[0] + r.nextLong(range[1] - range[0] + 1);
            }
            case "uniform": {
                double[] range = doubles(field, e.getValue(), config);
                return (seq, r) -> Math.round((range[0] + r.nextDouble() * (range[1] - range[0])) * 100) / 100.0;
            }
            case "now": {
                return lateNow(field, e.getValue(), config);
            }
            case "normal": {
                double[] p = doubles(field, e.getValue(), config);
                return (seq, r) -> Math.round((p[0] + gaussian(r) * p[1]) * 100) / 100.0;
            }
            default:
                throw config.error(
                        "fields." + field,
                        "has an unknown generator '" + kind + "'."
                                + Args.suggest(kind, List.of("one-of", "int", "uniform", "normal", "now"))
                                + " Generators: sequence, uuid, now, one-of, int,"
                                + " uniform, normal, or a constant.");
        }
    }

    static FieldGenerator oneOf(List<Object> values, List<Object> weights) {
        if (weights == null) {
            return (seq, r) -> values.get(r.nextInt(values.size()));
        }
        double[] cumulative = new double[weights.size()];
        double sum = 0;
        for (int i = 0; i < weights.size(); i++) {
            sum += ((Number) weights.get(i)).doubleValue();
            cumulative[i] = sum;
        }
        double total = sum;
        return (seq, r) -> {
            double x = r.nextDouble() * total;
            for (int i = 0; i < cumulative.length; i++) {
                if (x < cumulative[i]) {
                    return values.get(i);
                }
            }
            return values.get(values.size() - 1);
        };
    }

    /** The current time, with a share of events as if they arrived late: their time is up to {@code by} ago. */
    private static FieldGenerator lateNow(String field, Object spec, Config config) {
        String key = "fields." + field + ".now";
        var at = config.location();
        Map<String, Object> m = Args.map(spec, at, key, "{late: 0.03, by: [40s, 3m]}");
        Args.checkKeys(m, at, key, List.of("late", "by"), List.of());
        if (!(m.get("late") instanceof Number share) || share.doubleValue() < 0 || share.doubleValue() > 1) {
            throw config.error(key + ".late", "must be a share from 0 to 1, such as 0.03.");
        }
        List<Object> by = Args.list(m.get("by"), at, key + ".by", "[40s, 3m]");
        if (by.size() != 2) {
            throw config.error(key + ".by", "needs [shortest, longest] delay, such as [40s, 3m].");
        }
        long min = Args.durationMillis(by.get(0), at, key + ".by");
        long max = Args.durationMillis(by.get(1), at, key + ".by");
        if (min > max) {
            throw config.error(key + ".by", "needs the shortest delay first, such as [40s, 3m].");
        }
        double late = share.doubleValue();
        return (seq, r) -> {
            long delay = r.nextDouble() < late ? min + (long) (r.nextDouble() * (max - min)) : 0;
            return Instant.now().minusMillis(delay).toString();
        };
    }

    private static double gaussian(Rng r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12))) * Math.cos(2 * Math.PI * u2);
    }

    private static long[] range(String field, Object v, Config config) {
        List<Object> l = Args.list(v, config.location(), "fields." + field, "[1, 10]");
        if (l.size() != 2
                || !(l.get(0) instanceof Number a)
                || !(l.get(1) instanceof Number b)
                || a.longValue() > b.longValue()) {
            throw config.error("fields." + field, "needs [min, max] with min <= max, such as [1, 10].");
        }
        return new long[] {a.longValue(), b.longValue()};
    }

    private static double[] doubles(String field, Object v, Config config) {
        List<Object> l = Args.list(v, config.location(), "fields." + field, "[0, 1]");
        if (l.size() != 2 || !(l.get(0) instanceof Number a) || !(l.get(1) instanceof Number b)) {
            throw config.error("fields." + field, "needs two numbers, such as [0, 1].");
        }
        return new double[] {a.doubleValue(), b.doubleValue()};
    }
}
