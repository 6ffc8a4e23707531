package dev.sluice.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code join} step in the Java DSL, built as it is written in YAML:
 *
 * <pre>{@code
 * .join(Joins.table("users").key("user_id").fields("country", "plan").prefix("user_"))
 * .join(Joins.stream("payments").on("order_id").within("10m").time("ts").left())
 * }</pre>
 *
 * Checked when the pipeline is validated, with the same messages as a YAML file.
 */
public final class Joins {
    private final Map<String, Object> argument = new LinkedHashMap<>();

    private Joins(String kind, String topic) {
        argument.put(kind, topic);
    }

    /** With the rows of a table kept in this (compacted) topic, keyed by the row's key. */
    public static Joins table(String topic) {
        return new Joins("table", topic);
    }

    /** With the events of another stream whose event time is close to each event's. */
    public static Joins stream(String topic) {
        return new Joins("stream", topic);
    }

    /** Table joins: the event field matched with the table's key; without it, the event key. */
    public Joins key(String field) {
        return set("key", field);
    }

    /** Table joins: the columns to add; without it, all of them. */
    public Joins fields(String... columns) {
        argument.put("fields", List.of(columns));
        return this;
    }

    /** Table joins: put in front of each added column's name. */
    public Joins prefix(String prefix) {
        return set("prefix", prefix);
    }

    /** Table joins: the newest row rather than the one valid at the event's time. */
    public Joins asOfLatest() {
        return set("as-of", "latest");
    }

    /** Table joins: how long row versions are kept. */
    public Joins history(String duration) {
        return set("history", duration);
    }

    /** Table joins: the row field saying when a version became valid; without it, the event timestamp. */
    public Joins tableTime(String field) {
        return set("table-time", field);
    }

    /** Stream joins: the field both streams are matched on. */
    public Joins on(String field) {
        return set("on", field);
    }

    /** Stream joins: how far apart in event time two events may be. */
    public Joins within(String duration) {
        return set("within", duration);
    }

    /** Stream joins: the field the other stream's event goes in. */
    public Joins as(String field) {
        return set("as", field);
    }

    public Joins outOfOrder(String duration) {
        return set("out-of-order", duration);
    }

    public Joins idleTimeout(String duration) {
        return set("idle-timeout", duration);
    }

    public Joins lateEvents(String topic) {
        return set("late-events", topic);
    }

    /** The event-time field; without it, the event timestamp. */
    public Joins time(String field) {
        return set("time", field);
    }

    /** Keep only events that found a match (the default keeps the others too). */
    public Joins inner() {
        return set("type", "inner");
    }

    /** Keep events that found no match too, with nulls where the match would be (the default). */
    public Joins left() {
        return set("type", "left");
    }

    /** The step's argument, as YAML would give it. */
    public Map<String, Object> argument() {
        return new LinkedHashMap<>(argument);
    }

    private Joins set(String key, String value) {
        argument.put(key, value);
        return this;
    }
}
