package dev.sluice.stream.step;

import dev.sluice.log.config.Durations;
import dev.sluice.log.config.Levenshtein;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a step's or connector's argument with errors that say where, which key, and what was expected. */
public final class Args {
    private Args() {}

    public static String string(Object value, Location at, String key) {
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new PipelineException(at, "'" + key + "' must be text, got " + describe(value) + ".");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value, Location at, String key, String example) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) m).forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        throw new PipelineException(
                at, "'" + key + "' must be a map, such as " + example + "; got " + describe(value) + ".");
    }

    public static List<Object> list(Object value, Location at, String key, String example) {
        if (value instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        throw new PipelineException(
                at, "'" + key + "' must be a list, such as " + example + "; got " + describe(value) + ".");
    }

    public static List<String> strings(Object value, Location at, String key, String example) {
        if (value instanceof String s) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        for (Object o : list(value, at, key, example)) {
            out.add(string(o, at, key));
        }
        return out;
    }

    public static long durationMillis(Object value, Location at, String key) {
        try {
            return Durations.parseMillis(string(value, at, key));
        } catch (IllegalArgumentException e) {
            throw new PipelineException(at, "'" + key + "': " + e.getMessage() + ".");
        }
    }

    /** The duration under {@code key} in milliseconds, or {@code otherwise} when the key is not there. */
    public static long optionalMillis(Map<String, Object> m, String key, long otherwise, Location at) {
        return m.containsKey(key) ? durationMillis(m.get(key), at, key) : otherwise;
    }

    public static int positiveInt(Object value, Location at, String key) {
        if (value instanceof Number n
                && n.longValue() > 0
                && n.longValue() <= Integer.MAX_VALUE
                && n.doubleValue() == n.longValue()) {
            return n.intValue();
        }
        throw new PipelineException(at, "'" + key + "' must be a whole number above 0, got " + describe(value) + ".");
    }

    /**
     * Checks that a map has only known keys and every required one.
     *
     * @throws PipelineException for an unknown key (with the closest known one) or a missing one
     */
    public static void checkKeys(
            Map<String, Object> m, Location at, String what, Collection<String> required, Collection<String> optional) {
        List<String> known = new ArrayList<>(required);
        known.addAll(optional);
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw new PipelineException(
                        at,
                        "unknown key '" + k + "' in " + what + "." + suggest(k, known) + " Known keys: "
                                + String.join(", ", known) + ".");
            }
        }
        for (String r : required) {
            if (!m.containsKey(r)) {
                throw new PipelineException(at, what + " needs '" + r + "'.");
            }
        }
    }

    /** " Did you mean 'x'?" when a known word is within a few edits, else "". */
    public static String suggest(String word, Collection<String> known) {
        Optional<String> best = known.stream()
                .filter(k -> Levenshtein.distance(k, word) <= Math.max(2, word.length() / 3))
                .min(Comparator.comparingInt(k -> Levenshtein.distance(k, word)));
        return best.map(b -> " Did you mean '" + b + "'?").orElse("");
    }

    public static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof Collection) {
            return "a list";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        return value.toString();
    }
}
