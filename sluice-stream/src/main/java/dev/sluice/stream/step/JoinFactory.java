package dev.sluice.stream.step;

import dev.sluice.stream.join.TableSource;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import java.util.List;
import java.util.Map;

/**
 * {@code join:} with a table ({@link TableJoinStep}) or with another stream within a time window ({@link
 * StreamJoinStep}).
 */
final class JoinFactory implements StepFactory {
    private static final String TABLE_USAGE = "join: {table: users, key: user_id, fields: [country], type: left}";
    private static final String STREAM_USAGE = "join: {stream: payments, on: order_id, within: 10m, time: ts}";

    @Override
    public String kind() {
        return "join";
    }

    @Override
    public String usage() {
        return TABLE_USAGE + " or " + STREAM_USAGE;
    }

    @Override
    public Step create(StepSpec spec, StepContext context) {
        Location at = spec.location();
        Map<String, Object> m = Args.map(spec.argument(), at, "join", TABLE_USAGE.substring("join: ".length()));
        if (m.containsKey("table") == m.containsKey("stream")) {
            throw new PipelineException(
                    at,
                    "join needs either 'table' (a topic that holds a table, such as '" + TABLE_USAGE + "') or 'stream'"
                            + " (a topic of events to match within a time window, such as '" + STREAM_USAGE + "').");
        }
        return m.containsKey("table") ? table(m, at, context) : stream(m, at, context);
    }

    private static Step stream(Map<String, Object> m, Location at, StepContext context) {
        Args.checkKeys(
                m,
                at,
                "join",
                List.of("stream", "on", "within"),
                List.of(
                        "other-on",
                        "time",
                        "other-time",
                        "type",
                        "as",
                        "out-of-order",
                        "idle-timeout",
                        "late-events",
                        StatefulStep.UPSTREAM));
        String other = Args.string(m.get("stream"), at, "stream");
        FieldPath on = FieldPath.of(Args.string(m.get("on"), at, "on"));
        FieldPath time = optionalField(m, "time", at);
        long idleTimeout = Args.optionalMillis(m, "idle-timeout", 30_000, at);
        if (idleTimeout <= 0) {
            throw new PipelineException(at, "'idle-timeout' must be above 0.");
        }
        return new StreamJoinStep(
                new StreamJoinStep.Settings(
                        other,
                        on,
                        m.containsKey("other-on") ? optionalField(m, "other-on", at) : on,
                        Args.durationMillis(m.get("within"), at, "within"),
                        new EventTime(time, "join"),
                        new EventTime(m.containsKey("other-time") ? optionalField(m, "other-time", at) : time, "join"),
                        inner(m, at),
                        m.containsKey("as") ? Args.string(m.get("as"), at, "as") : other,
                        Args.optionalMillis(m, "out-of-order", 0, at),
                        idleTimeout,
                        m.containsKey("late-events")
                                ? Args.string(m.get("late-events"), at, "late-events")
                                : context.scope() + ".late",
                        InputTimes.upstream(m.get(StatefulStep.UPSTREAM), at)),
                context.clock());
    }

    private static Step table(Map<String, Object> m, Location at, StepContext context) {
        Args.checkKeys(
                m,
                at,
                "join",
                List.of("table"),
                List.of("key", "fields", "prefix", "type", "as-of", "time", "history", "table-time"));
        String asOf = m.containsKey("as-of") ? Args.string(m.get("as-of"), at, "as-of") : "event-time";
        if (!asOf.equals("event-time") && !asOf.equals("latest")) {
            throw new PipelineException(
                    at,
                    "'as-of' must be event-time (the row valid at the event's time) or latest (the newest row); got '"
                            + asOf + "'.");
        }
        FieldPath time = optionalField(m, "time", at);
        if (time != null && asOf.equals("latest")) {
            throw new PipelineException(
                    at, "'time' says which row version an event gets, so it does not go with 'as-of: latest'.");
        }
        TableSource source = new TableSource(
                Args.string(m.get("table"), at, "table"),
                m.containsKey("history") ? Args.durationMillis(m.get("history"), at, "history") : 86_400_000L,
                m.containsKey("table-time") ? Args.string(m.get("table-time"), at, "table-time") : null);
        return new TableJoinStep(
                new TableJoinStep.Settings(
                        source,
                        optionalField(m, "key", at),
                        new Columns(
                                m.containsKey("fields")
                                        ? Args.strings(m.get("fields"), at, "fields", "[country, plan]")
                                        : null,
                                m.containsKey("prefix") ? Args.string(m.get("prefix"), at, "prefix") : ""),
                        inner(m, at),
                        asOf.equals("latest"),
                        new EventTime(time, "join")),
                context.tables());
    }

    private static boolean inner(Map<String, Object> m, Location at) {
        String type = m.containsKey("type") ? Args.string(m.get("type"), at, "type") : "left";
        if (!type.equals("inner") && !type.equals("left")) {
            throw new PipelineException(
                    at,
                    "join 'type' must be left (keep events that find no match) or inner (drop them); got '" + type
                            + "'.");
        }
        return type.equals("inner");
    }

    private static FieldPath optionalField(Map<String, Object> m, String key, Location at) {
        return m.containsKey(key) ? FieldPath.of(Args.string(m.get(key), at, key)) : null;
    }
}
