package dev.sluice.connect.jdbc;

import dev.sluice.stream.json.Json;
import dev.sluice.stream.step.StepException;
import dev.sluice.stream.step.Timestamps;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes a batch to DuckDB through its appender into a staging table, then moves it into the target with one
 * {@code INSERT ... SELECT} (with {@code ON CONFLICT} for upserts). DuckDB plans a many-row {@code VALUES} statement
 * slowly; the appender takes rows at memory speed. Values are converted to each column's type first.
 */
final class DuckDbAppends {
    private DuckDbAppends() {}

    static String staging(String table) {
        return table + "__sluice_staging";
    }

    static void createStaging(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + Dialect.quote(staging(table)) + " AS SELECT * FROM "
                    + Dialect.quote(table) + " LIMIT 0");
            s.execute("DELETE FROM " + Dialect.quote(staging(table)));
        }
    }

    static void write(
            Connection c,
            String table,
            List<String> columns,
            Map<String, String> types,
            List<String> keys,
            boolean upsert,
            List<Map<String, Object>> rows)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + Dialect.quote(staging(table))); // rows a failed batch may have left behind
        }
        DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
        try (DuckDBAppender appender = duck.createAppender("main", staging(table))) {
            for (Map<String, Object> row : rows) {
                appender.beginRow();
                for (String column : columns) {
                    append(appender, column, types.get(column), row.get(column));
                }
                appender.endRow();
            }
            appender.flush();
        }
        String cols = String.join(", ", columns.stream().map(Dialect::quote).toList());
        String sql = "INSERT INTO " + Dialect.quote(table) + " (" + cols + ") SELECT " + cols + " FROM "
                + Dialect.quote(staging(table));
        if (upsert) {
            List<String> others =
                    columns.stream().filter(col -> !keys.contains(col)).toList();
            sql += " ON CONFLICT ("
                    + String.join(", ", keys.stream().map(Dialect::quote).toList()) + ") "
                    + (others.isEmpty()
                            ? "DO NOTHING"
                            : "DO UPDATE SET "
                                    + String.join(
                                            ", ",
                                            others.stream()
                                                    .map(col ->
                                                            Dialect.quote(col) + " = EXCLUDED." + Dialect.quote(col))
                                                    .toList()));
        }
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            s.execute("DELETE FROM " + Dialect.quote(staging(table)));
        }
    }

    private static void append(DuckDBAppender a, String column, String type, Object v) throws SQLException {
        if (v == null) {
            a.appendNull();
            return;
        }
        String t = type.toUpperCase(Locale.ROOT);
        try {
            if (t.contains("TIMESTAMP")) {
                OffsetDateTime at = Timestamps.parse(v).atOffset(ZoneOffset.UTC);
                if (t.contains("TIME ZONE") || t.contains("TZ")) {
                    a.append(at);
                } else {
                    a.append(LocalDateTime.ofInstant(at.toInstant(), ZoneOffset.UTC));
                }
            } else if (t.equals("BIGINT") || t.equals("INTEGER") || t.equals("HUGEINT") || t.equals("SMALLINT")) {
                long n = v instanceof Number num
                        ? num.longValue()
                        : Long.parseLong(v.toString().trim());
                if (t.equals("INTEGER")) {
                    a.append(Math.toIntExact(n));
                } else if (t.equals("SMALLINT")) {
                    a.append((short) n);
                } else {
                    a.append(n);
                }
            } else if (t.equals("DOUBLE") || t.equals("FLOAT") || t.startsWith("DECIMAL") || t.equals("REAL")) {
                double d = v instanceof Number num
                        ? num.doubleValue()
                        : Double.parseDouble(v.toString().trim());
                if (t.equals("FLOAT") || t.equals("REAL")) {
                    a.append((float) d);
                } else {
                    a.append(d);
                }
            } else if (t.equals("BOOLEAN")) {
                if (!(v instanceof Boolean b)) {
                    throw new StepException("field '" + column + "' is '" + v + "', not true or false");
                }
                a.append(b);
            } else if (v instanceof Map || v instanceof java.util.Collection) {
                a.append(Json.writeString(v));
            } else {
                a.append(v.toString());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new StepException("field '" + column + "' is '" + v + "', which does not fit column type " + type);
        }
    }
}
