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

    /** The keys of the first positions, made once: {@code ,"c<i>":}. */
    private static final byte[][] KEYS = new byte[256][];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = (",\"c" + i + "\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /** The key of row position {@code i} after a comma, {@code ,"c<i>":}. */
    static byte[] key(int i) {
        return i < KEYS.length ? KEYS[i] : (",\"c" + i + "\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Appends a value converted to its column's type; {@code json}: text that is JSON already, written as it is. */
    static void value(Object v, boolean json, LineBytes out) {
        if (v instanceof String s) {
            if (json) {
                out.putUtf8(s);
            } else {
                out.putQuoted(s);
            }
        } else if (v instanceof Long || v instanceof Integer) {
            out.putLong(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            out.putAscii(b ? "true" : "false");
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) {
                out.putDouble(d);
            } else {
                out.putQuoted(d.toString()); // NaN, Infinity: DuckDB casts the text
            }
        } else if (v instanceof Float f) {
            if (Float.isFinite(f)) {
                out.putAscii(f.toString());
            } else {
                out.putQuoted(f.toString());
            }
        } else if (v instanceof OffsetDateTime t) {
            out.putQuoted(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t));
        } else {
            out.putQuoted(v.toString()); // LocalDate: yyyy-mm-dd
        }
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
