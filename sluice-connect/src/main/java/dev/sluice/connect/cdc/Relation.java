package dev.sluice.connect.cdc;

import java.util.List;

/**
 * A table as logical replication describes it: its columns in order, and the names of its primary-key columns (empty
 * when it has none).
 *
 * @param id the table's OID
 * @param replicaIdentity {@code d} default (primary key), {@code f} full, {@code i} index, {@code n} nothing
 */
record Relation(int id, String schema, String table, char replicaIdentity, List<Column> columns, List<String> key) {
    /** A column: its name and type OID. */
    record Column(String name, int typeOid) {}

    String qualifiedName() {
        return schema + "." + table;
    }

    Relation withKey(List<String> key) {
        return new Relation(id, schema, table, replicaIdentity, columns, List.copyOf(key));
    }

    List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
