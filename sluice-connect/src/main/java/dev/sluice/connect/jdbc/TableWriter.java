package dev.sluice.connect.jdbc;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkException;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.step.StepException;
import dev.sluice.stream.step.Timestamps;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes events as rows of one table, inserting or upserting by key, one batch per transaction. The table is created
 * from the first events when it is missing (columns and types inferred from their fields, or declared). Connection
 * trouble and lock timeouts are retriable; rows the database refuses are not, so they end in the dead-letter topic.
 * One task's sink; one thread.
 */
final class TableWriter implements Sink {
    private static final int MAX_ROWS_PER_STATEMENT = 500;
    /** PostgreSQL's limit on bind parameters in one statement. */
    private static final int MAX_PARAMETERS = 32_000;

    interface ConnectionFactory {
        Connection connect() throws SQLException;
    }

    private final ConnectionFactory factory;
    private final Dialect dialect;
    private final String table;
    private final boolean upsert;
    private final List<String> keys;
    private final boolean createTable;
    private final Map<String, String> declared;
    private Connection connection;
    private List<String> columns;
    private Map<String, String> columnTypes;

    TableWriter(
            ConnectionFactory factory,
            Dialect dialect,
            String table,
            boolean upsert,
            List<String> keys,
            boolean createTable,
            Map<String, String> declared) {
        this.factory = factory;
        this.dialect = dialect;
        this.table = table;
        this.upsert = upsert;
        this.keys = keys;
        this.createTable = createTable;
        this.declared = declared;
    }

    @Override
    public void open() {
        // connect lazily: a database that is down at start is retried like one that goes down later
    }

    @Override
    public void write(List<StreamRecord> records) throws SinkException {
        List<Map<String, Object>> rows = new ArrayList<>(records.size());
        for (StreamRecord r : records) {
            try {
                rows.add(r.isParsed() ? r.fields() : Json.parseObject(r.valueBytes()));
            } catch (StepException e) {
                throw SinkException.rejected("the event is not a JSON object: " + e.getMessage(), e);
            }
        }
        try {
            ensureReady(rows);
            if (upsert) {
                rows = lastPerKey(rows);
            }
            if (dialect == Dialect.DUCKDB) {
                DuckDbAppends.write(connection, table, columns, columnTypes, keys, upsert, rows);
                connection.commit();
                return;
            }
            int perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, MAX_PARAMETERS / columns.size()));
            for (int from = 0; from < rows.size(); from += perStatement) {
                List<Map<String, Object>> chunk = rows.subList(from, Math.min(rows.size(), from + perStatement));
                String statement = upsert
                        ? dialect.upsert(table, columns, keys, chunk.size())
                        : dialect.insert(table, columns, chunk.size());
                try (PreparedStatement ps = connection.prepareStatement(statement)) {
                    int p = 1;
                    for (Map<String, Object> row : chunk) {
                        for (String column : columns) {
                            bind(ps, p++, column, row.get(column));
                        }
                    }
                    ps.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            if (isRetriable(e)) {
                closeQuietly();
                throw SinkException.retriable("database unavailable: " + message(e), e);
            }
            throw SinkException.rejected("the database refused the rows: " + message(e), e);
        } catch (StepException e) {
            rollbackQuietly();
            throw SinkException.rejected(e.getMessage(), e);
        }
    }

    private void ensureReady(List<Map<String, Object>> rows) throws SQLException {
        if (connection == null) {
            connection = factory.connect();
            connection.setAutoCommit(false);
            if (dialect == Dialect.POSTGRES) {
                try (Statement s = connection.createStatement()) {
                    s.execute("SET lock_timeout = '5s'"); // a locked table becomes a retriable error, not a hang
                }
                connection.commit();
            }
        }
        if (columns == null) {
            columnTypes = existingColumns();
            if (columnTypes.isEmpty()) {
                if (!createTable) {
                    throw new SQLException(
                            "table " + table + " does not exist (set create-table: true to create it)", "42P01");
                }
                columnTypes = inferColumns(rows);
                createTable();
            }
            columns = new ArrayList<>(columnTypes.keySet());
            if (dialect == Dialect.DUCKDB) {
                DuckDbAppends.createStaging(connection, table);
                connection.commit();
            }
        }
    }

    /** For an upsert, the last row of each key (later events supersede earlier ones in the same batch). */
    private List<Map<String, Object>> lastPerKey(List<Map<String, Object>> rows) {
        Map<List<Object>, Map<String, Object>> last = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            List<Object> key = new ArrayList<>(keys.size());
            for (String k : keys) {
                Object v = row.get(k);
                if (v == null) {
                    throw new StepException("the event has no value for key column '" + k + "'");
                }
                key.add(v);
            }
            last.remove(key);
            last.put(key, row);
        }
        return new ArrayList<>(last.values());
    }

    private Map<String, String> existingColumns() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        DatabaseMetaData md = connection.getMetaData();
        // in the connection's own schema (or the one named), not in any: DuckDB and PostgreSQL have system views
        // called "views", "tables" and "columns", and a table of that name must not be taken for one of them
        int dot = table.lastIndexOf('.');
        String schema = dot < 0 ? connection.getSchema() : table.substring(0, dot);
        String bare = dot < 0 ? table : table.substring(dot + 1);
        for (String name : List.of(bare, bare.toLowerCase(Locale.ROOT), bare.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = md.getColumns(null, schema, name, null)) {
                while (rs.next()) {
                    out.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"));
                }
            }
            if (!out.isEmpty()) {
                break;
            }
        }
        connection.commit();
        return out;
    }

    private Map<String, String> inferColumns(List<Map<String, Object>> rows) {
        Map<String, String> types = new LinkedHashMap<>(declared);
        for (Map<String, Object> row : rows) {
            row.forEach((k, v) -> {
                if (v != null && !types.containsKey(k)) {
                    types.put(k, dialect.typeOf(v));
                }
            });
        }
        for (Map<String, Object> row : rows) {
            row.keySet().forEach(k -> types.putIfAbsent(k, dialect.text));
        }
        for (String k : keys) {
            types.putIfAbsent(k, dialect.text);
        }
        return types;
    }

    private void createTable() throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS " + Dialect.quote(table) + " (");
        List<String> parts = new ArrayList<>();
        columnTypes.forEach((c, t) -> parts.add(Dialect.quote(c) + " " + t + (keys.contains(c) ? " NOT NULL" : "")));
        if (!keys.isEmpty()) {
            parts.add("PRIMARY KEY ("
                    + String.join(", ", keys.stream().map(Dialect::quote).toList()) + ")");
        }
        ddl.append(String.join(", ", parts)).append(")");
        try (Statement s = connection.createStatement()) {
            s.execute(ddl.toString());
        }
        connection.commit();
    }

    private void bind(PreparedStatement ps, int index, String column, Object value) throws SQLException {
        String type = columnTypes.get(column).toLowerCase(Locale.ROOT);
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (type.contains("timestamp")) {
            ps.setTimestamp(index, java.sql.Timestamp.from(Timestamps.parse(value)));
        } else if (value instanceof Map || value instanceof java.util.Collection) {
            if (dialect == Dialect.POSTGRES && type.contains("json")) {
                ps.setObject(index, Json.writeString(value), Types.OTHER);
            } else {
                ps.setString(index, Json.writeString(value));
            }
        } else if (type.contains("json") && dialect == Dialect.POSTGRES) {
            ps.setObject(index, Json.writeString(value), Types.OTHER);
        } else if (value instanceof String s
                && (type.contains("int")
                        || type.contains("double")
                        || type.contains("numeric")
                        || type.contains("decimal")
                        || type.contains("real")
                        || type.contains("float")
                        || type.contains("bool"))) {
            ps.setObject(index, s, targetType(type));
        } else {
            ps.setObject(index, value);
        }
    }

    private static int targetType(String type) {
        if (type.contains("bool")) {
            return Types.BOOLEAN;
        }
        if (type.contains("int")) {
            return Types.BIGINT;
        }
        return Types.DOUBLE;
    }

    static boolean isRetriable(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return e.getMessage() != null
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("connection");
        }
        return state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57")
                || state.startsWith("40")
                || state.equals("55P03");
    }

    private static String message(SQLException e) {
        String m = e.getMessage();
        SQLException next = e.getNextException();
        if (next != null && next.getMessage() != null) {
            m = next.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m.replace("\n", " ").trim();
    }

    private void rollbackQuietly() {
        try {
            if (connection != null) {
                connection.rollback();
            }
        } catch (SQLException e) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // already broken
        }
        connection = null;
        columns = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
