package dev.sluice.connect.cdc;

import dev.sluice.broker.Event;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * {@code type: postgres-cdc} source: change data capture from PostgreSQL by logical replication with the built-in
 * {@code pgoutput} plugin. Inserts, updates, deletes and truncates of the published tables become events keyed by
 * primary key (see {@link ChangeEvents} for the envelope). On the first run it creates the publication and the slot if
 * asked, and reads the tables' rows in the snapshot the slot exported, then streams what was committed after it.
 *
 * <p>The position is the end LSN of the last whole transaction published; the slot's confirmed LSN is advanced only
 * after that position is stored, so PostgreSQL keeps every change not yet stored, and a restart (even after SIGKILL)
 * resumes from the stored position: no change is lost, and those published but not yet stored come again.
 */
public final class PostgresCdcSource implements SourceConnector {
    @Override
    public String type() {
        return "postgres-cdc";
    }

    @Override
    public String description() {
        return "captures row changes of PostgreSQL tables (logical replication)";
    }

    @Override
    public List<ConfigKey> keys() {
        return CdcSettings.keys();
    }

    @Override
    public Source create(Config config, ConnectorContext context) {
        return new Reader(CdcSettings.of(config, context));
    }

    /** The running source: a snapshot first (when asked, on the first run), then the slot's stream. */
    static final class Reader implements Source {
        private static final System.Logger LOG = System.getLogger("dev.sluice.connect.cdc");
        /** Events per batch at most. */
        static final int MAX_BATCH = 2_000;

        private final CdcSettings settings;
        private Catalog catalog;
        private List<String> tables;
        private ChangeEvents events;
        private Replication replication;
        private TableSnapshot snapshot;
        private long snapshotLsn;
        private ChangeDecoder decoder;
        private int failures;
        /** When to try reconnecting, after the stream broke ({@link System#nanoTime()}). */
        private long retryAt;

        Reader(CdcSettings settings) {
            this.settings = settings;
        }

        @Override
        public void open(Map<String, Object> position) throws Exception {
            catalog = Catalog.open(settings);
            events = new ChangeEvents(catalog.database());
            tables = catalog.preparePublication(settings);
            String slot = settings.slot();
            if (position != null && !slot.equals(position.get("slot"))) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "the stored position is of slot " + position.get("slot") + ", not " + slot
                                + ": starting over with slot " + slot);
                position = null;
            }
            Object stored = position == null ? null : position.get("lsn");
            if (stored != null) {
                if (!catalog.hasSlot(slot)) {
                    throw new IllegalStateException("replication slot " + slot + " is gone from database "
                            + catalog.database() + ", though this source has stored changes up to LSN " + stored
                            + ": the changes since are lost to it. Fix: give the source a new slot name (slot: ...) to"
                            + " start over with a snapshot.");
                }
                stream(LogSequenceNumber.valueOf(stored.toString()));
                return;
            }
            boolean again = position != null; // a snapshot was running: its first rows may be published
            if (catalog.hasSlot(slot)) {
                again = true; // events may have been published before a crash, with no position stored yet
                if (!settings.snapshot()) {
                    stream(LogSequenceNumber.INVALID_LSN); // from the slot's confirmed position
                    return;
                }
                if (!settings.create()) {
                    throw new IllegalStateException("replication slot " + slot + " exists, but a first snapshot needs"
                            + " a new slot (to start exactly where the snapshot ends). Fix: drop it (SELECT"
                            + " pg_drop_replication_slot('" + slot + "')) and set create: true, or set snapshot: never"
                            + " to stream from it without a snapshot.");
                }
                LOG.log(
                        System.Logger.Level.INFO,
                        "replication slot " + slot + " was left by a run that stored nothing (or an unfinished"
                                + " snapshot); making it again");
                catalog.dropSlot(slot);
            } else if (!settings.create()) {
                throw new IllegalStateException("replication slot " + slot + " does not exist in database "
                        + catalog.database() + ". Fix: set create: true"
                        + (settings.snapshot()
                                ? " (a first snapshot needs a slot made by the source, to start where the snapshot ends)"
                                : ", or create it: SELECT pg_create_logical_replication_slot('" + slot
                                        + "', 'pgoutput')")
                        + ".");
            }
            try (Replication maker = Replication.connect(settings)) {
                ReplicationSlotInfo info = maker.createSlot(slot);
                snapshotLsn = info.getConsistentPoint().asLong();
                if (settings.snapshot()) { // imported before the maker runs anything else, as it must be
                    snapshot = TableSnapshot.begin(catalog, events, tables, info.getSnapshotName(), snapshotLsn, again);
                }
            } // the slot stays; streaming starts on a fresh connection, not one left idle through the snapshot
            if (snapshot == null) {
                stream(LogSequenceNumber.valueOf(snapshotLsn));
            }
        }

        private void stream(LogSequenceNumber from) throws SQLException, InterruptedException {
            replication = Replication.connect(settings);
            replication.start(settings.slot(), settings.publication(), from);
            if (decoder == null) {
                decoder = new ChangeDecoder(this::withKey, events, settings.tables(), from.asLong());
            }
        }

        /** A table's description with its primary key, from the catalog (reopened if its connection broke). */
        private Relation withKey(Relation relation) throws SQLException {
            if (!catalog.connection().isValid(5)) {
                Catalog broken = catalog;
                catalog = Catalog.open(settings);
                try {
                    broken.close();
                } catch (SQLException ignored) {
                    // broken already
                }
            }
            return catalog.withKey(relation);
        }

        /** Once the snapshot is out (or when there is none): the tables' rows as they were are published. */
        @Override
        public boolean caughtUp() {
            return snapshot == null;
        }

        @Override
        public Batch poll(Duration maxWait) throws Exception {
            List<Event> out = new ArrayList<>();
            if (snapshot != null) {
                if (!snapshot.read(MAX_BATCH, out)) {
                    return new Batch(out, Map.of("snapshot", "running", "slot", settings.slot()));
                }
                snapshot = null;
                stream(LogSequenceNumber.valueOf(snapshotLsn));
                return new Batch(out, position(snapshotLsn));
            }
            if (!connected()) {
                Thread.sleep(Math.min(maxWait.toMillis(), 100));
                return new Batch(out, position(decoder.resumeLsn()));
            }
            long deadline = System.nanoTime() + maxWait.toNanos();
            try {
                while (out.size() < MAX_BATCH) {
                    ByteBuffer message = replication.next();
                    if (message == null) {
                        if (!out.isEmpty()) {
                            break;
                        }
                        if (System.nanoTime() > deadline) {
                            decoder.idleAt(replication.lastReceived()); // quiet: the slot may move on
                            break;
                        }
                        Thread.sleep(5);
                        continue;
                    }
                    decoder.decode(message, replication.lastReceived(), out);
                    failures = 0;
                }
            } catch (SQLException e) {
                // what was read of an open transaction is dropped: it comes again after reconnecting
                decoder.dropOpenTransaction(out);
                broken("replication from " + catalog.database() + " broke (" + e.getMessage() + ")");
            }
            decoder.handedOn();
            return new Batch(out, position(decoder.resumeLsn()));
        }

        /** Whether there is a stream to read, reconnecting (with backoff) after it broke. */
        private boolean connected() throws InterruptedException {
            if (replication != null) {
                return true;
            }
            if (System.nanoTime() < retryAt) {
                return false;
            }
            try {
                replication = Replication.connect(settings);
                replication.start(
                        settings.slot(), settings.publication(), LogSequenceNumber.valueOf(decoder.resumeLsn()));
                LOG.log(System.Logger.Level.INFO, "replication from " + catalog.database() + " resumed");
                return true;
            } catch (SQLException e) {
                broken("cannot reconnect to " + catalog.database() + " for replication (" + e.getMessage() + ")");
                return false;
            }
        }

        private void broken(String what) {
            closeReplication();
            long delay = Backoff.DEFAULT.delayMs(failures++);
            retryAt = System.nanoTime() + delay * 1_000_000;
            LOG.log(System.Logger.Level.WARNING, what + "; trying again in " + delay + " ms");
        }

        /** The position: where to resume in the slot, and which slot (a position of another slot does not apply). */
        private Map<String, Object> position(long lsn) {
            return Map.of("lsn", LogSequenceNumber.valueOf(lsn).asString(), "slot", settings.slot());
        }

        @Override
        public void stored(Map<String, Object> position) {
            Object lsn = position.get("lsn");
            if (lsn != null && replication != null && decoder != null) {
                replication.confirm(LogSequenceNumber.valueOf(lsn.toString()));
            }
        }

        private void closeReplication() {
            if (replication != null) {
                try {
                    replication.close();
                } catch (SQLException ignored) {
                    // broken already
                }
                replication = null;
            }
        }

        @Override
        public void close() throws Exception {
            closeReplication();
            if (catalog != null) {
                catalog.close();
            }
        }
    }
}
