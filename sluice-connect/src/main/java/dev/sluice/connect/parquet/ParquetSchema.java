package dev.sluice.connect.parquet;

import dev.sluice.stream.step.StepException;
import dev.sluice.stream.step.Timestamps;
import java.time.LocalDate;
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
    private long lastDay = Long.MIN_VALUE;
    private String lastDate;
    private int version;

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
        return switch (time) {
            case NONE -> List.of();
            case DAY -> List.of(DATE);
            case HOUR -> List.of(DATE, HOUR);
        };
    }

    /**
     * Converts an event into a row: the time partition values, then the event columns' values. An inferred schema
     * grows if it must (new columns at the end, a long column widened to double).
     *
     * @throws StepException naming the field and the fix when the event does not fit
     */
    Object[] row(Map<String, Object> fields, long timestamp) {
        Map<String, ColumnType> grown = inferred ? grow(fields) : Map.of();
        if (!inferred && !dropExtraFields) {
            for (String field : fields.keySet()) {
                if (!columns.containsKey(field)) {
                    throw new StepException("field '" + field + "' is not in the sink's schema: add it to 'schema'"
                            + ", or set 'extra-fields: drop'");
                }
            }
        }
        List<String> times = timeColumns();
        int added = 0;
        for (String name : grown.keySet()) { // most events bring nothing new: no loop
            if (!columns.containsKey(name)) {
                added++;
            }
        }
        if (columns.isEmpty() && added == 0) {
            throw new StepException("no field of the event has a value, so no Parquet column can be inferred from it;"
                    + " give the columns in 'schema'");
        }
        Object[] row = new Object[times.size() + columns.size() + added];
        int i = 0;
        if (!times.isEmpty()) { // first: columns added later go to the end of the row
            i = timeValues(timeField == null ? null : fields.get(timeField), timestamp, row);
        }
        for (Map.Entry<String, ColumnType> c : columns.entrySet()) {
            ColumnType type = grown.getOrDefault(c.getKey(), c.getValue());
            Object v = fields.get(c.getKey());
            row[i++] = v == null ? null : type.convert(c.getKey(), v);
        }
        for (Map.Entry<String, ColumnType> c : grown.entrySet()) {
            if (!columns.containsKey(c.getKey())) {
                row[i++] = c.getValue().convert(c.getKey(), fields.get(c.getKey()));
            }
        }
        if (!grown.isEmpty()) { // the event fits: keep the growth
            columns.putAll(grown);
            version++;
        }
        return row;
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
            lastDay = day;
            lastDate = LocalDate.ofEpochDay(day).toString();
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
        }
    }

    /** The columns an inferred schema would add or widen for these fields, in the fields' order. */
    private Map<String, ColumnType> grow(Map<String, Object> fields) {
        Map<String, ColumnType> grown = Map.of(); // most events bring nothing new
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            Object v = f.getValue();
            if (v == null) {
                continue; // typed when a value comes
            }
            ColumnType had = columns.get(f.getKey());
            ColumnType is = ColumnType.of(v);
            if (had == null) {
                if (timeColumns().contains(f.getKey())) {
                    throw new StepException("field '" + f.getKey() + "' has the name of a time partition column:"
                            + " rename it in a step, or set 'time-partitions: none'");
                }
                grown = put(grown, f.getKey(), is);
            } else if (had == ColumnType.LONG && is == ColumnType.DOUBLE) {
                grown = put(grown, f.getKey(), ColumnType.DOUBLE);
            }
        }
        return grown;
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
