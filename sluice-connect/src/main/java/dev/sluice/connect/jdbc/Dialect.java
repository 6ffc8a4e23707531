package dev.sluice.connect.jdbc;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What differs between databases: type names and the upsert statement. */
enum Dialect {
    POSTGRES("TEXT", "BIGINT", "DOUBLE PRECISION", "BOOLEAN", "JSONB", "TIMESTAMPTZ"),
    DUCKDB("VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "JSON", "TIMESTAMPTZ"),
    GENERIC("VARCHAR(4000)", "BIGINT", "DOUBLE PRECISION", "BOOLEAN", "VARCHAR(4000)", "TIMESTAMP");

    final String text;
    final String integer;
    final String decimal;
    final String bool;
    final String json;
    final String timestamp;

    Dialect(String text, String integer, String decimal, String bool, String json, String timestamp) {
        this.text = text;
        this.integer = integer;
        this.decimal = decimal;
        this.bool = bool;
        this.json = json;
        this.timestamp = timestamp;
    }

    static Dialect forUrl(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        return u.startsWith("jdbc:duckdb:") ? DUCKDB : GENERIC;
    }

    /** The column type for a sample value. */
    String typeOf(Object sample) {
        if (sample instanceof Integer || sample instanceof Long || sample instanceof Short) {
            return integer;
        }
        if (sample instanceof Number) {
            return decimal;
        }
        if (sample instanceof Boolean) {
            return bool;
        }
        if (sample instanceof java.util.Map || sample instanceof java.util.Collection) {
            return json;
        }
        return text;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** One INSERT of {@code rows} rows: a multi-row VALUES list, far faster than a JDBC batch of single rows. */
    String insert(String table, List<String> columns, int rows) {
        String row = "(" + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        return "INSERT INTO " + quote(table) + " ("
                + columns.stream().map(Dialect::quote).collect(Collectors.joining(", ")) + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, row));
    }

    /** An insert that updates the row with the same key instead; rows of one statement must have distinct keys. */
    String upsert(String table, List<String> columns, List<String> keys, int rows) {
        List<String> others = columns.stream().filter(c -> !keys.contains(c)).toList();
        String action = others.isEmpty()
                ? "DO NOTHING"
                : "DO UPDATE SET "
                        + others.stream()
                                .map(c -> quote(c) + " = EXCLUDED." + quote(c))
                                .collect(Collectors.joining(", "));
        return insert(table, columns, rows) + " ON CONFLICT ("
                + keys.stream().map(Dialect::quote).collect(Collectors.joining(", ")) + ") " + action;
    }
}
