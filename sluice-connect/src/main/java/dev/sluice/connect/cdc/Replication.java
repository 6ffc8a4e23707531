package dev.sluice.connect.cdc;

import java.nio.ByteBuffer;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * A replication connection: creates the slot (exporting a snapshot of the moment it starts) and streams the slot's
 * changes as {@code pgoutput} messages, confirming to PostgreSQL only what it is told was stored.
 */
final class Replication implements AutoCloseable {
    /** SQLSTATE object_in_use: the slot is still held by another connection, such as that of a killed process. */
    private static final String OBJECT_IN_USE = "55006";

    private final java.sql.Connection connection;
    private PGReplicationStream stream;

    private Replication(java.sql.Connection connection) {
        this.connection = connection;
    }

    static Replication connect(CdcSettings settings) throws SQLException {
        Properties props = new Properties();
        props.putAll(settings.credentials());
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.APPLICATION_NAME.set(props, "sluice-cdc " + settings.slot());
        java.sql.Connection c = DriverManager.getConnection(settings.url(), props);
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'"); // the plugin writes timestamps in the session's zone
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new Replication(c);
    }

    /** The slot is still read by another connection after the wait: most likely another process runs the source. */
    static IllegalStateException slotInUse(String slot, SQLException e) {
        return new IllegalStateException(
                "replication slot " + slot + " is in use by another connection (another"
                        + " process running this source?); a slot has one reader. Fix: run the source in one process, or stop"
                        + " the other reader (pg_stat_replication shows it).",
                e);
    }

    static boolean inUse(SQLException e) {
        return OBJECT_IN_USE.equals(e.getSQLState());
    }

    /**
     * Creates a logical slot with {@code pgoutput}. The snapshot it exports can be imported by another connection
     * until this connection runs its next command.
     */
    ReplicationSlotInfo createSlot(String slot) throws SQLException {
        return connection
                .unwrap(PGConnection.class)
                .getReplicationAPI()
                .createReplicationSlot()
                .logical()
                .withSlotName(slot)
                .withOutputPlugin("pgoutput")
                .make();
    }

    /**
     * Starts streaming the slot's changes committed after {@code from} (or after the slot's confirmed position, if that
     * is later), waiting up to 30 s for a killed process's connection to let go of the slot.
     */
    void start(String slot, String publication, LogSequenceNumber from) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                stream = connection
                        .unwrap(PGConnection.class)
                        .getReplicationAPI()
                        .replicationStream()
                        .logical()
                        .withSlotName(slot)
                        .withStartPosition(from)
                        .withSlotOption("proto_version", 1)
                        .withSlotOption("publication_names", Catalog.quote(publication))
                        .withStatusInterval(1, TimeUnit.SECONDS)
                        .withAutomaticFlush(false)
                        .start();
                return;
            } catch (SQLException e) {
                if (!inUse(e)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw slotInUse(slot, e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** The next message, or null if none has arrived; keeps the connection alive with status updates. */
    ByteBuffer next() throws SQLException {
        return stream.readPending();
    }

    /** Where the last message read starts in the WAL. */
    long lastReceived() {
        return stream.getLastReceiveLSN().asLong();
    }

    /**
     * Tells PostgreSQL, with the next status update (within a second, or on close), that everything up to {@code lsn}
     * is stored: the slot may let go of the WAL before it.
     */
    void confirm(LogSequenceNumber lsn) {
        stream.setFlushedLSN(lsn);
        stream.setAppliedLSN(lsn);
    }

    @Override
    public void close() throws SQLException {
        try {
            if (stream != null && !stream.isClosed()) {
                stream.forceUpdateStatus();
                stream.close();
            }
        } finally {
            connection.close();
        }
    }
}
