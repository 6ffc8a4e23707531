package dev.sluice.connect.cdc;

import dev.sluice.broker.Event;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the slot's messages into change events, transaction by transaction. It knows each table from its latest
 * description (a column added in the middle of the stream shows up in the events after it) and remembers the end of
 * the last whole transaction it read: the position to resume from.
 */
final class ChangeDecoder implements PgOutput.Handler {
    private static final System.Logger LOG = System.getLogger("dev.sluice.connect.cdc");

    /** Looks up a table's primary key; it may reach the database. */
    interface Keys {
        Relation withKey(Relation relation) throws SQLException;
    }

    private final Keys keys;
    private final ChangeEvents events;
    /** The captured tables ({@code schema.table}), as a publication may publish more; empty for all it publishes. */
    private final Set<String> captured;

    private final Map<Integer, Relation> tables = new HashMap<>();
    private List<Event> out;
    /** Where in {@link #out} the open transaction's events start; -1 outside a transaction. */
    private int transactionStart = -1;

    private long xid;
    private long commitMillis;
    private long changeLsn;
    private long resumeLsn;

    ChangeDecoder(Keys keys, ChangeEvents events, List<String> captured, long resumeLsn) {
        this.keys = keys;
        this.events = events;
        this.captured = Set.copyOf(captured);
        this.resumeLsn = resumeLsn;
    }

    /** Decodes a message that starts at {@code lsn}, adding the events of its changes to {@code into}. */
    void decode(java.nio.ByteBuffer message, long lsn, List<Event> into) {
        out = into;
        changeLsn = lsn;
        PgOutput.decode(message, this);
    }

    /** The end of the last transaction read whole: streaming from here again skips it and everything before it. */
    long resumeLsn() {
        return resumeLsn;
    }

    /**
     * Forgets the events of a transaction that was not read to its commit (the connection broke): reading again from
     * {@link #resumeLsn()} brings them once more.
     */
    void dropOpenTransaction(List<Event> from) {
        if (transactionStart >= 0 && transactionStart <= from.size()) {
            from.subList(transactionStart, from.size()).clear();
        }
        transactionStart = -1;
    }

    /**
     * The stream went quiet between transactions, with everything up to {@code receivedLsn} read (a keepalive tells
     * how far the server has decoded; what it captures before that was sent first): resuming from there skips only
     * what the publication does not capture. Lets the slot move on, and PostgreSQL free the WAL, while the captured
     * tables are quiet and others are busy.
     */
    void idleAt(long receivedLsn) {
        if (transactionStart < 0 && receivedLsn > resumeLsn) {
            resumeLsn = receivedLsn;
        }
    }

    /** Called when the events read so far have been handed on: the open transaction continues in a new list. */
    void handedOn() {
        if (transactionStart >= 0) {
            transactionStart = 0;
        }
    }

    @Override
    public void begin(long finalLsn, long commitMillis, long xid) {
        this.xid = xid;
        this.commitMillis = commitMillis;
        transactionStart = out.size();
    }

    @Override
    public void commit(long commitLsn, long endLsn, long commitMillis) {
        resumeLsn = endLsn;
        transactionStart = -1;
    }

    @Override
    public void relation(Relation relation) {
        Relation before = tables.get(relation.id());
        try {
            tables.put(relation.id(), keys.withKey(relation));
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot look up the primary key of " + relation.qualifiedName() + " in"
                            + " the database (" + e.getMessage()
                            + "); the source stops, and resumes from its last stored"
                            + " position when started again.",
                    e);
        }
        if (before != null && !before.columnNames().equals(relation.columnNames())) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "table " + relation.qualifiedName() + " changed: columns " + relation.columnNames() + " (were "
                            + before.columnNames() + "); its events from LSN " + changeLsn + " on have the new ones");
        }
    }

    @Override
    public void insert(int relationId, List<Object> row) {
        Relation t = table(relationId);
        if (t == null) {
            return;
        }
        out.add(events.change('c', t, null, ChangeEvents.row(t, row), origin()));
    }

    @Override
    public void update(int relationId, char oldKind, List<Object> old, List<Object> row) {
        Relation t = table(relationId);
        if (t == null) {
            return;
        }
        Map<String, Object> before = image(t, oldKind, old);
        Map<String, Object> after = ChangeEvents.row(t, row);
        if (before != null && !t.key().isEmpty() && !sameKey(t, before, after)) {
            // the primary key changed: the old row is gone, a new one is there (so keyed consumers see both)
            out.add(events.change('d', t, before, null, origin()));
            out.add(events.change('c', t, null, after, origin()));
            return;
        }
        out.add(events.change('u', t, before, after, origin()));
    }

    @Override
    public void delete(int relationId, char oldKind, List<Object> old) {
        Relation t = table(relationId);
        if (t != null) {
            out.add(events.change('d', t, image(t, oldKind, old), null, origin()));
        }
    }

    @Override
    public void truncate(List<Integer> relationIds) {
        for (int id : relationIds) {
            Relation t = table(id);
            if (t != null) {
                out.add(events.change('t', t, null, null, origin()));
            }
        }
    }

    /** An old row image: with {@code K}, only the key columns were sent (the others came as nulls). */
    private static Map<String, Object> image(Relation t, char kind, List<Object> values) {
        Map<String, Object> image = ChangeEvents.row(t, values);
        if (image == null || kind != 'K' || t.key().isEmpty()) {
            return image;
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (String c : t.key()) {
            key.put(c, image.get(c));
        }
        return key;
    }

    private static boolean sameKey(Relation t, Map<String, Object> before, Map<String, Object> after) {
        for (String c : t.key()) {
            if (!java.util.Objects.equals(before.get(c), after.get(c))) {
                return false;
            }
        }
        return true;
    }

    private ChangeEvents.Origin origin() {
        return new ChangeEvents.Origin(changeLsn, xid, commitMillis, false);
    }

    /** The table, or null when it is published but not captured. */
    private Relation table(int id) {
        Relation t = tables.get(id);
        if (t == null) { // pgoutput describes every table before its first change in a session
            throw new IllegalStateException("a change of the table with OID " + id + " came before its description"
                    + " in the replication stream; the source stops, and resumes from its last stored position when"
                    + " started again.");
        }
        return captured.isEmpty() || captured.contains(t.qualifiedName()) ? t : null;
    }
}
