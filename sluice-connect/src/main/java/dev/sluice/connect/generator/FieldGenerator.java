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
            case "normal": {
                double[] p = doubles(field, e.getValue(), config);
                return (seq, r) -> Math.round((p[0] + gaussian(r) * p[1]) * 100) / 100.0;
            }
            default:
                throw config.error(
                        "fields." + field,
                        "has an unknown generator '" + kind + "'."
                                + Args.suggest(kind, List.of("one-of", "int", "uniform", "normal"))
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
