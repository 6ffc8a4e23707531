package dev.sluice.connect.parquet;

import dev.sluice.stream.step.StepException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The short way from an event's raw JSON to its {@link JsonLines} line, for the events of a topic a sink reads without
 * steps: a flat object whose every field is a column and whose values are already what their columns hold is checked
 * byte by byte, and its values are copied as they are under the columns' keys, without building fields. A value is
 * taken as it is when it is null, or for a {@code string} column text without unicode escapes (valid UTF-8), for
 * {@code long} and {@code int} a whole number in range, for {@code double} a number of up to 40 characters with an
 * exponent of at most two digits, for {@code boolean} true or false. Anything else (a field the schema lacks, a value
 * to convert, a column of another type, a line break, a repeated field, invalid UTF-8, ...) gives false, and the event
 * goes the general way ({@link ParquetSchema#line}), which converts it, grows the schema or explains why it does not fit.
 * Used by one task's thread.
 */
final class RawRows {
    private static final int LONGEST_DOUBLE = 40;
    /** The keys of the time partition values, first in a row. */
    private static final byte[][] TIME_KEYS = {
        ",\"c0\":\"".getBytes(StandardCharsets.US_ASCII), ",\"c1\":\"".getBytes(StandardCharsets.US_ASCII)
    };

    private final ParquetSchema schema;
    private final Object[] times = new Object[2];
    private int version = -1;
    private byte[][] names;
    /** Each column's key in a line, after a comma: {@code ,"c<position>":}. */
    private byte[][] keys;

    private ColumnType[] types;
    private Map<String, Integer> byName;
    private int timeColumn;
    private int[] seen;
    private int stamp;
    private final LineBytes line = new LineBytes();

    RawRows(ParquetSchema schema) {
        this.schema = schema;
    }

    /** The last line made. */
    LineBytes line() {
        return line;
    }

    /**
     * Makes the line of an event from its raw JSON value.
     *
     * @param timestamp the event's timestamp (epoch ms), for time partitions without a time field
     * @return false when the event must take the general way
     */
    boolean line(byte[] json, long timestamp) {
        refresh();
        if (stamp == Integer.MAX_VALUE) { // start the marks over
            Arrays.fill(seen, 0);
            stamp = 0;
        }
        stamp++;
        int n = json.length;
        int i = space(json, 0);
        if (i >= n || json[i] != '{') {
            return false;
        }
        i = space(json, i + 1);
        if (i >= n || json[i] != '"') {
            return false; // {} and the like: the general way says what is wrong
        }
        line.clear();
        line.room(n + 64);
        line.put((byte) '{');
        int next = 0;
        int timeStart = -1;
        int timeEnd = -1;
        while (true) {
            if (i >= n || json[i] != '"') {
                return false;
            }
            int keyStart = i + 1;
            int keyEnd = keyStart;
            while (keyEnd < n && json[keyEnd] != '"') {
                int c = json[keyEnd] & 0xff;
                if (c == '\\' || c < 0x20) {
                    return false;
                }
                keyEnd = c < 0x80 ? keyEnd + 1 : utf8(json, keyEnd);
                if (keyEnd < 0) {
                    return false;
                }
            }
            int column = column(json, keyStart, keyEnd, next);
            if (column < 0 || seen[column] == stamp) {
                return false;
            }
            seen[column] = stamp;
            next = column + 1;
            i = space(json, keyEnd + 1);
            if (i >= n || json[i] != ':') {
                return false;
            }
            int valueStart = space(json, i + 1);
            int valueEnd = value(json, valueStart, types[column]);
            if (valueEnd < 0) {
                return false;
            }
            if (column == timeColumn) {
                timeStart = valueStart;
                timeEnd = valueEnd;
            }
            byte[] key = keys[column];
            int comma = line.length() > 1 ? 0 : 1; // none before the first
            line.put(key, comma, key.length - comma);
            line.put(json, valueStart, valueEnd - valueStart);
            i = space(json, valueEnd);
            if (i >= n) {
                return false;
            }
            if (json[i] == '}') {
                break;
            }
            if (json[i] != ',') {
                return false;
            }
            i = space(json, i + 1);
        }
        if (space(json, i + 1) != n) {
            return false;
        }
        return timeValues(json, timeStart, timeEnd, timestamp);
    }

    /** Ends the line with the time partition values, if any. */
    private boolean timeValues(byte[] json, int timeStart, int timeEnd, long timestamp) {
        int count;
        if (schema.timeField() == null) {
            count = schema.timeValues(null, timestamp, times);
        } else {
            Object value = timeStart < 0 ? null : time(json, timeStart, timeEnd);
            if (value == null) {
                return false; // missing, null or to be converted: the general way says what is wrong
            }
            try {
                count = schema.timeValues(value, timestamp, times);
            } catch (StepException e) {
                return false;
            }
        }
        for (int t = 0; t < count; t++) {
            line.put(TIME_KEYS[t], 0, TIME_KEYS[t].length);
            line.putAscii((String) times[t]);
            line.put((byte) '"');
        }
        line.putAscii("}\n");
        return true;
    }

    /** The time field's value as the general way has it: a whole number, or text without escapes; else null. */
    private static Object time(byte[] json, int start, int end) {
        if (json[start] == '"') {
            for (int i = start + 1; i < end - 1; i++) {
                if (json[i] == '\\') {
                    return null;
                }
            }
            return new String(json, start + 1, end - start - 2, StandardCharsets.UTF_8);
        }
        int digits = integer(json, start, json.length, 18);
        return digits == end ? Long.parseLong(new String(json, start, end - start, StandardCharsets.US_ASCII)) : null;
    }

    /** The column of the key {@code json[start, end)}, trying {@code next} first (fields come in the same order); or -1. */
    private int column(byte[] json, int start, int end, int next) {
        if (end >= json.length) {
            return -1;
        }
        if (next < names.length && same(json, start, end, names[next])) {
            return next;
        }
        Integer c = byName.get(new String(json, start, end - start, StandardCharsets.UTF_8));
        return c == null ? -1 : c;
    }

    /** Whether {@code json[start, end)} is {@code name} (a loop: names are short, too short for a vectorised compare). */
    private static boolean same(byte[] json, int start, int end, byte[] name) {
        if (end - start != name.length) {
            return false;
        }
        for (int k = 0; k < name.length; k++) {
            if (json[start + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    /** Where the value at {@code i} ends if the column takes it as it is, else -1. */
    private static int value(byte[] json, int i, ColumnType type) {
        int n = json.length;
        if (i >= n) {
            return -1;
        }
        byte first = json[i];
        if (first == 'n') {
            return literal(json, i, "null") ? i + 4 : -1;
        }
        return switch (type) {
            case STRING -> first == '"' ? string(json, i + 1) : -1;
            case LONG -> integer(json, i, n, 18);
            case INT -> integer(json, i, n, 9);
            case DOUBLE -> decimal(json, i, n);
            case BOOLEAN -> literal(json, i, "true") ? i + 4 : literal(json, i, "false") ? i + 5 : -1;
            default -> -1; // converted the general way
        };
    }

    /** The end of the string whose text starts at {@code i}, or -1 when it has a unicode escape, a control character or invalid UTF-8. */
    private static int string(byte[] json, int i) {
        int n = json.length;
        while (i < n) {
            int c = json[i] & 0xff;
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= n || "\"\\/bfnrt".indexOf(json[i + 1]) < 0) {
                    return -1;
                }
                i += 2;
            } else if (c < 0x20) {
                return -1;
            } else if (c < 0x80) {
                i++;
            } else {
                i = utf8(json, i);
                if (i < 0) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The end of the UTF-8 sequence at {@code i}, or -1 if it is not a valid one. */
    private static int utf8(byte[] b, int i) {
        int c = b[i] & 0xff;
        int more;
        int min;
        int max = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            min = c == 0xE0 ? 0xA0 : 0x80; // no overlong form
            max = c == 0xED ? 0x9F : 0xBF; // no surrogate
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            min = c == 0xF0 ? 0x90 : 0x80;
            max = c == 0xF4 ? 0x8F : 0xBF; // nothing beyond U+10FFFF
        } else {
            return -1;
        }
        if (i + more >= b.length) {
            return -1;
        }
        int second = b[i + 1] & 0xff;
        if (second < min || second > max) {
            return -1;
        }
        for (int k = 2; k <= more; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return i + more + 1;
    }

    /** The end of a whole number of at most {@code maxDigits} digits at {@code i}, or -1. */
    private static int integer(byte[] json, int i, int n, int maxDigits) {
        if (i < n && json[i] == '-') {
            i++;
        }
        int start = i;
        while (i < n && json[i] >= '0' && json[i] <= '9') {
            i++;
        }
        int digits = i - start;
        if (digits == 0 || digits > maxDigits || (digits > 1 && json[start] == '0')) {
            return -1;
        }
        return i;
    }

    /** The end of a JSON number at {@code i} short enough to be read the same by Java and DuckDB, or -1. */
    private static int decimal(byte[] json, int i, int n) {
        int start = i;
        i = integer(json, i, n, LONGEST_DOUBLE);
        if (i < 0) {
            return -1;
        }
        if (i < n && json[i] == '.') {
            int fraction = ++i;
            while (i < n && json[i] >= '0' && json[i] <= '9') {
                i++;
            }
            if (i == fraction) {
                return -1;
            }
        }
        if (i < n && (json[i] == 'e' || json[i] == 'E')) {
            i++;
            if (i < n && (json[i] == '+' || json[i] == '-')) {
                i++;
            }
            int exponent = i;
            while (i < n && json[i] >= '0' && json[i] <= '9') {
                i++;
            }
            if (i == exponent || i - exponent > 2) {
                return -1;
            }
        }
        return i - start > LONGEST_DOUBLE ? -1 : i;
    }

    private static boolean literal(byte[] json, int i, String word) {
        if (i + word.length() > json.length) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (json[i + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Skips spaces and tabs (a line break would break the line, so it takes the general way). */
    private static int space(byte[] json, int i) {
        while (i < json.length && (json[i] == ' ' || json[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** Rebuilds the column tables when the schema changed. */
    private void refresh() {
        if (version == schema.version() && names != null) {
            return;
        }
        version = schema.version();
        List<String> times = schema.timeColumns();
        Map<String, ColumnType> columns = schema.columns();
        names = new byte[columns.size()][];
        keys = new byte[columns.size()][];
        types = new ColumnType[columns.size()];
        byName = new HashMap<>();
        seen = new int[columns.size()];
        stamp = 0;
        timeColumn = -1;
        int c = 0;
        for (Map.Entry<String, ColumnType> e : columns.entrySet()) {
            names[c] = e.getKey().getBytes(StandardCharsets.UTF_8);
            keys[c] = (",\"c" + (times.size() + c) + "\":").getBytes(StandardCharsets.US_ASCII);
            types[c] = e.getValue();
            byName.put(e.getKey(), c);
            if (e.getKey().equals(schema.timeField())) {
                timeColumn = c;
            }
            c++;
        }
    }
}
