package dev.sluice.stream.step;

import dev.sluice.stream.join.TableSource;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import java.util.List;
import java.util.Map;

/** {@code join:} with a table ({@link TableJoinStep}) or with another stream within a time window. */
final class JoinFactory implements StepFactory {
    private static final String TABLE_USAGE = "join: {table: users, key: user_id, fields: [country], type: left}";

    @Override
    public String kind() {
        return "join";
    }

    @Override
    public String usage() {
        return TABLE_USAGE;
    }

    @Override
    public Step create(StepSpec spec, StepContext context) {
        Location at = spec.location();
        Map<String, Object> m = Args.map(spec.argument(), at, "join", TABLE_USAGE.substring("join: ".length()));
        if (!m.containsKey("table")) {
            throw new PipelineException(
                    at, "join needs 'table': the topic that holds the table, such as '" + TABLE_USAGE + "'.");
        }
        return table(m, at, context);
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
