package dev.sluice.connect.cdc;

import dev.sluice.broker.Event;
import dev.sluice.broker.Header;
import dev.sluice.stream.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the events of row changes, in an envelope like Debezium's: {@code op} ({@code r} snapshot read, {@code c}
 * insert, {@code u} update, {@code d} delete, {@code t} truncate), {@code before} and {@code after} row images (each a
 * JSON object or null), and {@code source} (database, schema, table, LSN, transaction id, commit time, whether from the
 * snapshot). The key is the primary key: its value as text for a one-column key, a JSON object of the key columns
 * otherwise, none for a table without one. The event time is the commit time (the snapshot's time for snapshot rows).
 * Headers {@code cdc.table} and {@code cdc.op} let a stage route by table without parsing.
 */
final class ChangeEvents {
    private final String database;

    ChangeEvents(String database) {
        this.database = database;
    }

    /** Where a change comes from: its LSN, transaction and commit time, or the snapshot. */
    record Origin(long lsn, long xid, long commitMillis, boolean snapshot) {}

    Event change(char op, Relation table, Map<String, Object> before, Map<String, Object> after, Origin origin) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("op", String.valueOf(op));
        envelope.put("before", before);
        envelope.put("after", after);
        envelope.put("source", source(table, origin));
        envelope.put("ts_ms", System.currentTimeMillis());
        Map<String, Object> keyed = after != null ? after : before;
        return new Event(key(table.key(), keyed), Json.write(envelope), headers(table, op), origin.commitMillis());
    }

    /** A row image: column names with their values; an unchanged TOASTed value is left out. */
    static Map<String, Object> row(Relation table, List<Object> values) {
        if (values == null) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < values.size() && i < table.columns().size(); i++) {
            Object v = values.get(i);
            if (v != PgOutput.UNCHANGED) {
                Relation.Column c = table.columns().get(i);
                row.put(c.name(), TextValues.value(c.typeOid(), (String) v));
            }
        }
        return row;
    }

    private Map<String, Object> source(Relation table, Origin origin) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("connector", "postgres");
        source.put("db", database);
        source.put("schema", table.schema());
        source.put("table", table.table());
        source.put("lsn", origin.lsn());
        source.put("txId", origin.snapshot() ? null : origin.xid());
        source.put("ts_ms", origin.commitMillis());
        source.put("snapshot", origin.snapshot());
        return source;
    }

    private static byte[] key(List<String> columns, Map<String, Object> row) {
        if (columns.isEmpty() || row == null) {
            return null;
        }
        if (columns.size() == 1) {
            Object v = row.get(columns.get(0));
            return v == null ? null : text(v).getBytes(StandardCharsets.UTF_8);
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (String c : columns) {
            key.put(c, row.get(c));
        }
        return Json.write(key);
    }

    private static String text(Object v) {
        return v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString();
    }

    private static List<Header> headers(Relation table, char op) {
        return List.of(Header.of("cdc.table", table.qualifiedName()), Header.of("cdc.op", String.valueOf(op)));
    }
}
