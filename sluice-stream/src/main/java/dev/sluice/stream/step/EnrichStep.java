package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.spec.Location;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Adds columns of a lookup table to each event, matched by key:
 *
 * <pre>
 * enrich: {file: users.csv, key: user_id, on: id, fields: [country], refresh: 5m, missing: keep}
 * enrich: {jdbc: "jdbc:postgresql://localhost/test", query: "select id, country from users", key: user_id, on: id}
 * </pre>
 *
 * {@code missing} says what happens to an event whose key is not in the table: {@code keep} it unchanged (default),
 * {@code drop} it, or {@code fail} (dead-letter topic).
 */
final class EnrichStep implements Step {
    enum Missing {
        KEEP,
        DROP,
        FAIL
    }

    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "enrich";
        }

        @Override
        public String usage() {
            return "enrich: {file: users.csv, key: user_id, on: id, fields: [country], refresh: 5m, missing: keep}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            Location at = spec.location();
            Map<String, Object> m = Args.map(spec.argument(), at, "enrich", "{file: users.csv, key: user_id}");
            Args.checkKeys(
                    m,
                    at,
                    "enrich",
                    List.of("key"),
                    List.of("file", "jdbc", "query", "on", "fields", "refresh", "missing", "prefix"));
            FieldPath key = FieldPath.of(Args.string(m.get("key"), at, "key"));
            String on = m.containsKey("on") ? Args.string(m.get("on"), at, "on") : key.toString();
            List<String> fields =
                    m.containsKey("fields") ? Args.strings(m.get("fields"), at, "fields", "[country]") : null;
            long refresh = m.containsKey("refresh") ? Args.durationMillis(m.get("refresh"), at, "refresh") : 300_000;
            String prefix = m.containsKey("prefix") ? String.valueOf(m.get("prefix")) : "";
            Missing missing = missing(m.get("missing"), at);
            String source;
            LookupTable.Loader loader;
            if (m.containsKey("file") == m.containsKey("jdbc")) {
                throw new PipelineException(
                        at, "enrich needs either 'file' (a CSV with a header row) or 'jdbc' with" + " 'query'.");
            } else if (m.containsKey("file")) {
                Path file = context.resolve(Args.string(m.get("file"), at, "file"));
                if (!Files.isReadable(file)) {
                    throw new PipelineException(at, "enrich file " + file + " does not exist or cannot be read.");
                }
                source = file.toString();
                loader = LookupTable.csv(file);
            } else {
                if (!m.containsKey("query")) {
                    throw new PipelineException(
                            at, "enrich with 'jdbc' needs 'query', such as \"select id, country from users\".");
                }
                String url = Args.string(m.get("jdbc"), at, "jdbc");
                String query = Args.string(m.get("query"), at, "query");
                source = url + " " + query;
                loader = LookupTable.jdbc(url, query);
            }
            LookupTable table =
                    (LookupTable) context.shared().computeIfAbsent("enrich|" + source + "|" + on + "|" + refresh, k -> {
                        try {
                            return new LookupTable(source, loader, on, refresh, context.clock());
                        } catch (IOException | SQLException e) {
                            throw new PipelineException(
                                    at, "cannot load the enrich table from " + source + ": " + e.getMessage());
                        }
                    });
            return new EnrichStep(table, key, on, fields, prefix, missing);
        }

        private static Missing missing(Object v, Location at) {
            if (v == null) {
                return Missing.KEEP;
            }
            try {
                return Missing.valueOf(Args.string(v, at, "missing").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new PipelineException(at, "'missing' must be keep, drop or fail; got '" + v + "'.");
            }
        }
    }

    private final LookupTable table;
    private final FieldPath key;
    private final String on;
    private final Columns columns;
    private final Missing missing;

    private EnrichStep(
            LookupTable table, FieldPath key, String on, List<String> fields, String prefix, Missing missing) {
        this.table = table;
        this.key = key;
        this.on = on;
        this.columns = new Columns(fields, prefix);
        this.missing = missing;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        Map<String, Object> event = record.fields();
        Object k = key.get(event);
        Map<String, Object> row = k == null ? null : table.get(String.valueOf(k));
        if (row == null) {
            switch (missing) {
                case DROP -> {
                    return;
                }
                case FAIL -> throw new StepException("no row in the enrich table for " + key + " = " + k);
                default -> {
                    out.accept(record);
                    return;
                }
            }
        }
        columns.addTo(event, row, on);
        out.accept(record);
    }
}
