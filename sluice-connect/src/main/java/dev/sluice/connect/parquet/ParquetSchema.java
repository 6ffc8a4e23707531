package dev.sluice.connect.parquet;

import dev.sluice.stream.step.StepException;
import dev.sluice.stream.step.Timestamps;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of a Parquet sink's files, and the conversion of an event's fields into one row of them. Given in YAML, the
 * schema is fixed: a value that does not fit its column's type, or a field it does not have (unless extra fields are
 * dropped), refuses the event. Inferred, it grows with the events: a new field adds a column (typed by its first
 * non-null value), and a whole-number column that meets a fraction becomes {@code double}; other misfits refuse the
 * event. A row starts with the time partition values ({@code date}, {@code hour}), then the columns'. Used by one task's thread.
 */
final class ParquetSchema {
    static final String DATE = "date";
    static final String HOUR = "hour";
    private static final String[] HOURS = new String[24];

    static {
        for (int h = 0; h < 24; h++) {
            HOURS[h] = h < 10 ? "0" + h : Integer.toString(h);
        }
    }

    private final Map<String, ColumnType> columns;
    private final boolean inferred;
    private final boolean dropExtraFields;
    private final TimePartitions time;
    private final String timeField;
    /** The time partition columns, in order (held: {@link #line} asks for them on every event). */
    private final List<String> timeColumns;

    private long lastDay = Long.MIN_VALUE;
    private String lastDate;
    private int version;
    /** Each column's position among the event columns, and its type: for {@link #line}, as of {@code positionsVersion}. */
    private Map<String, Integer> positions;

    private ColumnType[] types;
    private int positionsVersion;
    /** The time partition values of the event being written. */
    private final Object[] timeRow = new Object[2];

    /** How files are split by the events' time. */
    enum TimePartitions {
        NONE,
        DAY,
        HOUR
    }

    /**
     * @param columns the given columns, or for an inferred schema the ones to start with
     */
    ParquetSchema(
            Map<String, ColumnType> columns,
            boolean inferred,
            boolean dropExtraFields,
            TimePartitions time,
            String timeField) {
        this.columns = new LinkedHashMap<>(columns);
        this.inferred = inferred;
        this.dropExtraFields = dropExtraFields;
        this.time = time;
        this.timeField = timeField;
        this.timeColumns = switch (time) {
            case NONE -> List.of();
            case DAY -> List.of(DATE);
            case HOUR -> List.of(DATE, HOUR);
        };
    }

    /** The event columns, in order. */
    Map<String, ColumnType> columns() {
        return columns;
    }

    /** Counts the changes of the columns (one added, one widened): what was derived from them is stale when it moves. */
    int version() {
        return version;
    }

    /** The field with the event time, or null for the events' timestamps. */
    String timeField() {
        return timeField;
    }

    /** The time partition columns (all strings), in order. */
    List<String> timeColumns() {
        return timeColumns;
    }

    /**
     * Writes an event as its JSON line into {@code out} (cleared first): each field under its column's key, converted
     * to the column's type, then the time partition values. An inferred schema grows if it must (new columns at the
     * end, a long column widened to double), once the whole event fits.
     *
     * @throws StepException naming the field and the fix when the event does not fit (what was written is void)
     */
    void line(Map<String, Object> fields, long timestamp, LineBytes out) {
        refresh();
        int times = timeColumns.size();
        out.clear();
        out.put((byte) '{');
        boolean first = true;
        int added = 0;
        Map<String, ColumnType> grown = Map.of(); // what the event adds or widens: most events bring nothing new
        for (Map.Entry<String, Object> f : fields.entrySet()) { // one pass, one lookup a field
            String name = f.getKey();
            Object v = f.getValue();
            Integer at = positions.get(name);
            if (at == null) {
                if (inferred && v != null) {
                    if (times > 0 && timeColumns.contains(name)) {
                        throw new StepException("field '" + name + "' has the name of a time partition column:"
                                + " rename it in a step, or set 'time-partitions: none'");
                    }
                    ColumnType type = ColumnType.of(v);
                    grown = put(grown, name, type);
                    first = field(out, first, times + types.length + added++, type, name, v); // a new column: last
                } else if (!inferred && !dropExtraFields) {
                    throw new StepException("field '" + name + "' is not in the sink's schema: add it to 'schema'"
                            + ", or set 'extra-fields: drop'");
                }
                continue; // null: typed when a value comes
            }
            if (v == null) {
                continue;
            }
            ColumnType type = types[at];
            if (inferred && type == ColumnType.LONG && ColumnType.of(v) == ColumnType.DOUBLE) {
                type = ColumnType.DOUBLE;
                grown = put(grown, name, type);
            }
            first = field(out, first, times + at, type, name, v);
        }
        if (types.length == 0 && grown.isEmpty()) {
            throw new StepException("no field of the event has a value, so no Parquet column can be inferred from it;"
                    + " give the columns in 'schema'");
        }
        if (times > 0) { // first in the row's order: columns added later go to its end
            int count = timeValues(timeField == null ? null : fields.get(timeField), timestamp, timeRow);
            for (int t = 0; t < count; t++) {
                first = field(out, first, t, ColumnType.STRING, timeColumns.get(t), timeRow[t]);
            }
        }
        out.putAscii("}\n");
        if (!grown.isEmpty()) { // the event fits: keep the growth
            columns.putAll(grown);
            version++;
        }
    }

    /** Writes one field: its key (after a comma unless first) and its value converted to {@code type}. */
    private static boolean field(LineBytes out, boolean first, int position, ColumnType type, String name, Object v) {
        Object value = type.convert(name, v);
        byte[] key = JsonLines.key(position);
        int comma = first ? 1 : 0;
        out.put(key, comma, key.length - comma);
        JsonLines.value(value, type == ColumnType.JSON, out);
        return false;
    }

    /** Rebuilds the columns' positions and types when the columns changed. */
    private void refresh() {
        if (positions != null && positionsVersion == version) {
            return;
        }
        positions = new HashMap<>();
        types = new ColumnType[columns.size()];
        int i = 0;
        for (Map.Entry<String, ColumnType> c : columns.entrySet()) {
            positions.put(c.getKey(), i);
            types[i++] = c.getValue();
        }
        positionsVersion = version;
    }

    /**
     * Puts the time partition values of an event at the start of {@code row}: from {@code timeValue}, the value of the
     * time field, or without one from the event's {@code timestamp}.
     *
     * @return how many were put
     * @throws StepException when the time field holds no time
     */
    int timeValues(Object timeValue, long timestamp, Object[] row) {
        if (time == TimePartitions.NONE) {
            return 0;
        }
        long epochSecond = eventTime(timeValue, timestamp).getEpochSecond();
        long day = Math.floorDiv(epochSecond, 86_400L);
        if (day != lastDay) { // events come close in time: the date is formatted once a day
            String date;
            try {
                date = LocalDate.ofEpochDay(day).toString();
            } catch (java.time.DateTimeException e) {
                throw new StepException((timeField == null ? "the event's timestamp" : "time-field '" + timeField + "'")
                        + " is a time beyond the dates a partition can have: " + e.getMessage());
            }
            lastDate = date;
            lastDay = day;
        }
        row[0] = lastDate;
        if (time == TimePartitions.HOUR) {
            row[1] = HOURS[(int) (Math.floorMod(epochSecond, 86_400L) / 3_600)];
            return 2;
        }
        return 1;
    }

    private java.time.Instant eventTime(Object timeValue, long timestamp) {
        if (timeField == null) {
            return java.time.Instant.ofEpochMilli(timestamp);
        }
        try {
            return Timestamps.parse(timeValue);
        } catch (StepException e) {
            throw new StepException("time-field '" + timeField + "': " + e.getMessage());
        } catch (RuntimeException e) { // a number too long for a long, a time out of range
            throw new StepException(
                    "time-field '" + timeField + "' is " + timeValue + ", which is not a time: " + e.getMessage());
        }
    }

    private static Map<String, ColumnType> put(Map<String, ColumnType> grown, String name, ColumnType type) {
        Map<String, ColumnType> out = grown.isEmpty() ? new LinkedHashMap<>() : grown;
        out.put(name, type);
        return out;
    }

    /** A column name quoted for DuckDB's SQL. */
    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
