package dev.sluice.connect.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What the source asks the database on an ordinary connection: the publication (made if asked), the tables and their
 * primary keys, the slot. It also warns, once per table, about a table without a primary key.
 */
final class Catalog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.sluice.connect.cdc");

    private final Connection connection;
    private final String database;
    private final Set<String> warned = new HashSet<>();

    private Catalog(Connection connection, String database) {
        this.connection = connection;
        this.database = database;
    }

    static Catalog open(CdcSettings settings) throws SQLException {
        Properties props = new Properties();
        props.putAll(settings.credentials());
        props.setProperty("binaryTransfer", "false"); // values as PostgreSQL writes them, as in replication
        props.setProperty("ApplicationName", "sluice-cdc " + settings.slot());
        Connection c = DriverManager.getConnection(settings.url(), props);
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'"); // timestamps in snapshot rows as in the stream's
            try (ResultSet r = s.executeQuery("SELECT current_database()")) {
                r.next();
                return new Catalog(c, r.getString(1));
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    Connection connection() {
        return connection;
    }

    String database() {
        return database;
    }

    /**
     * Makes sure the publication exists (creating it when asked) and covers the tables named, and gives the tables to
     * capture, as {@code schema.table}.
     *
     * @throws IllegalStateException naming the problem and the fix
     */
    List<String> preparePublication(CdcSettings settings) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("SHOW wal_level")) {
            r.next();
            if (!r.getString(1).equals("logical")) {
                throw new IllegalStateException("the PostgreSQL server of database " + database + " has wal_level = "
                        + r.getString(1) + "; change data capture needs logical. Fix: ALTER SYSTEM SET wal_level ="
                        + " logical; then restart PostgreSQL.");
            }
        }
        for (String t : settings.tables()) {
            if (oid(t) == 0) {
                throw new IllegalStateException("table " + t + " does not exist in database " + database
                        + "; check the name in tables (schema.table, as PostgreSQL stores it: unquoted names are"
                        + " lower case).");
            }
        }
        String publication = settings.publication();
        if (!exists("SELECT 1 FROM pg_publication WHERE pubname = ?", publication)) {
            if (!settings.create()) {
                throw new IllegalStateException("publication " + publication + " does not exist in database "
                        + database + "; create it (CREATE PUBLICATION " + quote(publication) + " FOR TABLE ...) or set"
                        + " create: true.");
            }
            String what = settings.tables().isEmpty()
                    ? "ALL TABLES"
                    : "TABLE "
                            + String.join(
                                    ", ",
                                    settings.tables().stream()
                                            .map(Catalog::quoteTable)
                                            .toList());
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE PUBLICATION " + quote(publication) + " FOR " + what);
            }
            LOG.log(System.Logger.Level.INFO, "created publication " + publication + " for " + what.toLowerCase());
        }
        List<String> published = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ? ORDER BY 1, 2")) {
            s.setString(1, publication);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    published.add(r.getString(1) + "." + r.getString(2));
                }
            }
        }
        if (settings.tables().isEmpty()) {
            return published;
        }
        for (String t : settings.tables()) {
            if (!published.contains(t)) {
                throw new IllegalStateException("publication " + publication + " does not publish " + t + "; add it"
                        + " (ALTER PUBLICATION " + quote(publication) + " ADD TABLE " + quoteTable(t) + ") or remove"
                        + " it from tables.");
            }
        }
        return settings.tables();
    }

    /**
     * Whether this database has the slot.
     *
     * @throws IllegalStateException if a slot of that name belongs to another database or plugin: not this source's
     */
    boolean hasSlot(String slot) throws SQLException {
        try (PreparedStatement s =
                connection.prepareStatement("SELECT database, plugin FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return false;
                }
                if (!database.equals(r.getString(1)) || !"pgoutput".equals(r.getString(2))) {
                    throw new IllegalStateException("replication slot " + slot + " belongs to "
                            + (r.getString(1) == null ? "no database (a physical slot)" : "database " + r.getString(1))
                            + " with plugin " + r.getString(2) + ", not to this source (database " + database
                            + ", pgoutput). Fix: give the source another slot name (slot: ...).");
                }
                return true;
            }
        }
    }

    /** Drops a slot, waiting up to 30 s for a connection of a killed process to let go of it. */
    void dropSlot(String slot) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                s.setString(1, slot);
                s.execute();
                return;
            } catch (SQLException e) {
                if (!Replication.inUse(e)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw Replication.slotInUse(slot, e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** A table's description as a snapshot reads it: columns in order with their types, and its primary key. */
    Relation describe(String table) throws SQLException {
        int oid = oid(table);
        List<Relation.Column> columns = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT attname, atttypid FROM pg_attribute"
                + " WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum")) {
            s.setInt(1, oid);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    columns.add(new Relation.Column(r.getString(1), (int) r.getLong(2)));
                }
            }
        }
        int dot = table.indexOf('.');
        Relation relation =
                new Relation(oid, table.substring(0, dot), table.substring(dot + 1), identity(oid), columns, List.of());
        return withKey(relation);
    }

    /** The relation with its primary key, looked up once per table (again when the table is described anew). */
    Relation withKey(Relation relation) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                + " WHERE i.indrelid = ? AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            s.setInt(1, relation.id());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    key.add(r.getString(1));
                }
            }
        }
        if (key.isEmpty() && warned.add(relation.qualifiedName())) {
            LOG.log(System.Logger.Level.WARNING, noKeyWarning(relation));
        }
        return relation.withKey(key);
    }

    static String noKeyWarning(Relation relation) {
        String t = relation.qualifiedName();
        String updates = relation.replicaIdentity() == 'f'
                ? ""
                : "; PostgreSQL refuses UPDATE and DELETE on it while a publication publishes them";
        return "table " + t + " has no primary key: its changes are published without a key, so changes of one row"
                + " may land in different partitions" + updates + ". Fix: ALTER TABLE " + t + " ADD PRIMARY KEY"
                + " (...), or ALTER TABLE " + t + " REPLICA IDENTITY FULL to publish updates and deletes with the"
                + " whole old row.";
    }

    private char identity(int oid) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT relreplident FROM pg_class WHERE oid = ?")) {
            s.setInt(1, oid);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1).charAt(0) : 'd';
            }
        }
    }

    private int oid(String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT to_regclass(?)::oid")) {
            s.setString(1, quoteTable(table));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return (int) r.getLong(1);
            }
        }
    }

    private boolean exists(String sql, String name) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String quoteTable(String table) {
        int dot = table.indexOf('.');
        return quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
