package dev.sluice.connect.cdc;

import dev.sluice.broker.Event;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads the rows of the captured tables as of the moment the slot was created, in one repeatable-read transaction that
 * imports the slot's exported snapshot: every change committed before that moment is in the rows, every later one
 * comes from the slot. So the snapshot hands over to streaming with no gap and no duplicate. Rows are read with a
 * cursor, a batch at a time.
 */
final class TableSnapshot {
    private static final int FETCH_ROWS = 2_000;

    private final Catalog catalog;
    private final ChangeEvents events;
    private final Deque<String> tables;
    private final ChangeEvents.Origin origin;
    private final boolean again;
    private Relation current;
    private Statement statement;
    private ResultSet rows;

    private TableSnapshot(
            Catalog catalog, ChangeEvents events, List<String> tables, ChangeEvents.Origin origin, boolean again) {
        this.catalog = catalog;
        this.events = events;
        this.tables = new ArrayDeque<>(tables);
        this.origin = origin;
        this.again = again;
    }

    /**
     * Opens the snapshot transaction on the catalog's connection, importing {@code snapshotName} (which must still be
     * exported: its replication connection has run nothing since).
     *
     * @param again whether an earlier snapshot may have published rows before it stopped (a crash): each table's rows
     *     then follow a truncate event ({@code op: t}), so a consumer forgets rows of the earlier attempt that were
     *     deleted before this one
     */
    static TableSnapshot begin(
            Catalog catalog, ChangeEvents events, List<String> tables, String snapshotName, long lsn, boolean again)
            throws SQLException {
        Connection c = catalog.connection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            s.execute("SET TRANSACTION SNAPSHOT '" + snapshotName.replace("'", "''") + "'");
        }
        return new TableSnapshot(
                catalog, events, tables, new ChangeEvents.Origin(lsn, 0, System.currentTimeMillis(), true), again);
    }

    /**
     * Adds up to {@code max} rows' events to {@code out}.
     *
     * @return true when every table has been read (the transaction is then over)
     */
    boolean read(int max, List<Event> out) throws SQLException {
        while (out.size() < max) {
            if (rows == null) {
                if (tables.isEmpty()) {
                    Connection c = catalog.connection();
                    c.commit();
                    c.setAutoCommit(true);
                    return true;
                }
                open(tables.poll(), out);
            }
            if (!rows.next()) {
                rows.close();
                statement.close();
                rows = null;
                continue;
            }
            int n = current.columns().size();
            List<Object> values = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                values.add(rows.getString(i));
            }
            out.add(events.change('r', current, null, ChangeEvents.row(current, values), origin));
        }
        return false;
    }

    private void open(String table, List<Event> out) throws SQLException {
        current = catalog.describe(table);
        if (again) {
            out.add(events.change('t', current, null, null, origin));
        }
        String columns = current.columnNames().stream().map(Catalog::quote).collect(Collectors.joining(", "));
        statement = catalog.connection().createStatement();
        statement.setFetchSize(FETCH_ROWS);
        rows = statement.executeQuery("SELECT " + columns + " FROM ONLY " + Catalog.quoteTable(table));
    }
}
