package dev.sluice.connect.parquet;

import dev.sluice.stream.json.Json;
import dev.sluice.stream.step.StepException;
import dev.sluice.stream.step.Timestamps;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** A Parquet column's type, as named in a sink's {@code schema:}, with the DuckDB type that writes it. */
enum ColumnType {
    STRING("VARCHAR"),
    LONG("BIGINT"),
    INT("INTEGER"),
    DOUBLE("DOUBLE"),
    FLOAT("FLOAT"),
    BOOLEAN("BOOLEAN"),
    TIMESTAMP("TIMESTAMP WITH TIME ZONE"),
    DATE("DATE"),
    JSON("JSON");

    final String sql;

    ColumnType(String sql) {
        this.sql = sql;
    }

    /** The name used in YAML. */
    String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return null for an unknown name */
    static ColumnType named(String name) {
        for (ColumnType t : values()) {
            if (t.yamlName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }

    static String names() {
        return String.join(
                ", ", Arrays.stream(values()).map(ColumnType::yamlName).toList());
    }

    /** The type a schema inferred from the events gives a JSON value (not null). */
    static ColumnType of(Object value) {
        if (value instanceof Boolean) {
            return BOOLEAN;
        }
        if (value instanceof Integer
                || value instanceof Long
                || value instanceof BigInteger
                || value instanceof Short) {
            return LONG;
        }
        if (value instanceof Number) {
            return DOUBLE;
        }
        if (value instanceof Map || value instanceof Collection) {
            return JSON;
        }
        return STRING;
    }

    /**
     * Converts a JSON value (not null) to the Java value of this type (written to a JSON line for DuckDB).
     *
     * @throws StepException naming the field when the value does not fit
     */
    Object convert(String field, Object v) {
        try {
            return switch (this) {
                case STRING ->
                    v instanceof String
                            ? v
                            : v instanceof Map || v instanceof Collection ? Json.writeString(v) : v.toString();
                case JSON -> Json.writeString(v);
                case LONG -> v instanceof Long ? v : wholeNumber(v);
                case INT -> Math.toIntExact(wholeNumber(v));
                case DOUBLE -> v instanceof Double ? v : number(v);
                case FLOAT -> (float) number(v);
                case BOOLEAN -> {
                    if (v instanceof Boolean b) {
                        yield b;
                    }
                    throw misfit(field, v);
                }
                case TIMESTAMP -> instant(field, v);
                case DATE ->
                    v instanceof String s && s.length() == 10
                            ? LocalDate.parse(s)
                            : instant(field, v).toLocalDate();
            };
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            throw misfit(field, v);
        }
    }

    private static java.time.OffsetDateTime instant(String field, Object v) {
        java.time.OffsetDateTime t;
        try {
            t = Timestamps.parse(v).atOffset(ZoneOffset.UTC);
        } catch (StepException e) {
            throw new StepException("field '" + field + "': " + e.getMessage());
        }
        if (t.getYear() < 1 || t.getYear() > 9999) { // beyond what DuckDB reads back from text
            throw new StepException("field '" + field + "' is " + v + ", a time in the year " + t.getYear()
                    + "; a Parquet timestamp here is from the year 1 to 9999 (microseconds given as milliseconds?)");
        }
        return t;
    }

    private long wholeNumber(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.longValueExact();
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).longValueExact(); // 3.0 fits, 3.5 does not
        }
        if (v instanceof String s) {
            return Long.parseLong(s.trim());
        }
        throw new NumberFormatException();
    }

    private static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            return Double.parseDouble(s.trim());
        }
        throw new NumberFormatException();
    }

    private StepException misfit(String field, Object v) {
        String shown = v instanceof String s ? "\"" + s + "\"" : Json.writeString(v);
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return new StepException("field '" + field + "' is " + shown + ", which does not fit the Parquet column type "
                + yamlName() + " (" + sql + ")");
    }
}
