package dev.sluice.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code window} step in the Java DSL, built as it is written in YAML:
 *
 * <pre>{@code
 * .window(Windows.tumbling("1m").by("page").time("ts").outOfOrder("5s").lateness("30s")
 *         .aggregate("views", "count()").aggregate("users", "count_distinct(user)"))
 * }</pre>
 *
 * Checked when the pipeline is validated, with the same messages as a YAML file.
 */
public final class Windows {
    private final Map<String, Object> argument = new LinkedHashMap<>();
    private final Map<String, Object> aggregate = new LinkedHashMap<>();

    private Windows(String shape, Object value) {
        argument.put(shape, value);
    }

    /** Back-to-back windows of this size ({@code 1m}). */
    public static Windows tumbling(String size) {
        return new Windows("tumbling", size);
    }

    /** Windows of {@code size} starting every {@code advance}. */
    public static Windows hopping(String size, String advance) {
        return new Windows("hopping", Map.of("size", size, "advance", advance));
    }

    /** For each event, the {@code size} of event time up to and including it. */
    public static Windows sliding(String size) {
        return new Windows("sliding", size);
    }

    /** Per key, activity separated by less than {@code gap}. */
    public static Windows session(String gap) {
        return new Windows("session", gap);
    }

    /** Group by these fields (dotted paths allowed); without it, by the event key. */
    public Windows by(String... fields) {
        argument.put("by", fields.length == 1 ? fields[0] : List.of(fields));
        return this;
    }

    /** The event-time field; without it, the event timestamp. */
    public Windows time(String field) {
        return set("time", field);
    }

    public Windows outOfOrder(String duration) {
        return set("out-of-order", duration);
    }

    public Windows lateness(String duration) {
        return set("lateness", duration);
    }

    public Windows idleTimeout(String duration) {
        return set("idle-timeout", duration);
    }

    /** Also emit open windows' results so far, this often. */
    public Windows early(String interval) {
        return set("early", interval);
    }

    public Windows lateEvents(String topic) {
        return set("late-events", topic);
    }

    /** One result field: {@code aggregate("users", "count_distinct(user)")}. */
    public Windows aggregate(String output, String call) {
        aggregate.put(output, call);
        return this;
    }

    /** The step's argument, as YAML would give it. */
    public Map<String, Object> argument() {
        Map<String, Object> out = new LinkedHashMap<>(argument);
        out.put("aggregate", new LinkedHashMap<>(aggregate));
        return out;
    }

    private Windows set(String key, String value) {
        argument.put(key, value);
        return this;
    }
}
