package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.json.Csv;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code parse: json} turns the value into fields. {@code parse: {format: csv, columns: [a, b, c]}} splits a CSV line
 * into the named columns (as text; use {@code normalize} for types).
 */
final class ParseStep implements Step {
    static final class Factory implements StepFactory {
        @Override
        public String kind() {
            return "parse";
        }

        @Override
        public String usage() {
            return "parse: json | parse: {format: csv, columns: [id, name, amount], delimiter: \",\"}";
        }

        @Override
        public Step create(StepSpec spec, StepContext context) {
            if ("json".equals(spec.argument())) {
                return new ParseStep(null, null);
            }
            if ("csv".equals(spec.argument())) {
                throw new PipelineException(
                        spec.location(),
                        "'parse: csv' needs the column names: parse: {format:" + " csv, columns: [id, name, amount]}.");
            }
            if (spec.argument() instanceof String s) {
                throw new PipelineException(spec.location(), "unknown format '" + s + "' for parse: use json or csv.");
            }
            Map<String, Object> m =
                    Args.map(spec.argument(), spec.location(), "parse", "{format: csv, columns: [a, b]}");
            Args.checkKeys(m, spec.location(), "parse", List.of("format"), List.of("columns", "delimiter"));
            String format = Args.string(m.get("format"), spec.location(), "format");
            if (format.equals("json")) {
                return new ParseStep(null, null);
            }
            if (!format.equals("csv")) {
                throw new PipelineException(
                        spec.location(), "unknown format '" + format + "' for parse: use json or csv.");
            }
            if (!m.containsKey("columns")) {
                throw new PipelineException(spec.location(), "parse with format csv needs 'columns'.");
            }
            List<String> columns = Args.strings(m.get("columns"), spec.location(), "columns", "[id, name, amount]");
            char delimiter = m.containsKey("delimiter")
                    ? Args.string(m.get("delimiter"), spec.location(), "delimiter")
                            .charAt(0)
                    : ',';
            return new ParseStep(columns, delimiter);
        }
    }

    private final List<String> columns;
    private final char delimiter;

    private ParseStep(List<String> columns, Character delimiter) {
        this.columns = columns;
        this.delimiter = delimiter == null ? ',' : delimiter;
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        if (columns == null) {
            record.value(Json.parseObject(record.valueBytes()));
        } else {
            record.value(parseCsv(record.valueBytes()));
        }
        out.accept(record);
    }

    private Map<String, Object> parseCsv(byte[] line) {
        if (line == null) {
            throw new StepException("the event has no value (null) to parse as CSV");
        }
        try {
            List<String> cells = Csv.cells(new String(line, java.nio.charset.StandardCharsets.UTF_8), delimiter);
            if (cells.size() != columns.size()) {
                throw new StepException("CSV line has " + cells.size() + " cells but " + columns.size()
                        + " columns are declared (" + String.join(", ", columns) + ")");
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                fields.put(columns.get(i), cells.get(i));
            }
            return fields;
        } catch (IOException | RuntimeException e) {
            if (e instanceof StepException se) {
                throw se;
            }
            throw new StepException("not valid CSV: " + e.getMessage());
        }
    }
}
