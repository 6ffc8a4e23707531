package dev.sluice.connect.parquet;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows as JSON lines for DuckDB's {@code read_json}: one object per row, keyed {@code c0}, {@code c1}, ... by column
 * position (no column name to escape, and a column added later is simply missing from older lines), with values the
 * schema already checked; and the query that reads them back under the columns' names and types.
 */
final class JsonLines {
    private JsonLines() {}

    /** Appends {@code row} as one line; {@code json} marks the positions whose text is JSON, written as it is. */
    static void row(Object[] row, boolean[] json, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v == null) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append("\"c").append(i).append("\":");
            value(v, i < json.length && json[i], out);
        }
        out.append("}\n");
    }

    private static void value(Object v, boolean json, StringBuilder out) {
        if (v instanceof String s) {
            if (json) {
                out.append(s);
            } else {
                quote(s, out);
            }
        } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) {
                out.append(d.doubleValue());
            } else {
                quote(d.toString(), out); // NaN, Infinity: DuckDB casts the text
            }
        } else if (v instanceof Float f) {
            if (Float.isFinite(f)) {
                out.append(f.floatValue());
            } else {
                quote(f.toString(), out);
            }
        } else if (v instanceof OffsetDateTime t) {
            quote(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t), out);
        } else {
            quote(v.toString(), out); // LocalDate: yyyy-mm-dd
        }
    }

    static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A query reading {@code file}'s lines as the columns {@code names} of the DuckDB {@code types}, in order; {@code
     * longestLine} (bytes) raises DuckDB's limit on one line's size when a row is larger.
     */
    static String select(Path file, List<String> names, List<String> types, int longestLine) {
        List<String> selected = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            selected.add("c" + i + " AS " + ParquetSchema.quote(names.get(i)));
            columns.add("c" + i + ": '" + types.get(i) + "'");
        }
        return "SELECT " + String.join(", ", selected) + " FROM read_json('"
                + file.toString().replace("'", "''") + "', format = 'newline_delimited', maximum_object_size = "
                + Math.max(16 << 20, longestLine + 1024) + ", columns = {" + String.join(", ", columns) + "})";
    }
}
