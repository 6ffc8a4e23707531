package dev.sluice.connect.cdc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the messages of PostgreSQL's built-in {@code pgoutput} plugin, protocol version 1 (PostgreSQL 10 and later):
 * transaction begin and commit, table descriptions, inserts, updates, deletes and truncates, values in text form.
 * Messages it does not need (origin, type) are skipped.
 */
final class PgOutput {
    /** Microseconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    /** A column value that was not sent: an unchanged TOASTed value of an update. */
    static final Object UNCHANGED = new Object() {
        @Override
        public String toString() {
            return "unchanged";
        }
    };

    /** What a decoded message means; called in the order of the stream. */
    interface Handler {
        void begin(long finalLsn, long commitMillis, long xid);

        void commit(long commitLsn, long endLsn, long commitMillis);

        /** A table's description, sent before its first change in a session and again after it changed. */
        void relation(Relation relation);

        void insert(int relationId, List<Object> row);

        /** @param old the old key ({@code 'K'}) or whole old row ({@code 'O'}), or null when not sent */
        void update(int relationId, char oldKind, List<Object> old, List<Object> row);

        void delete(int relationId, char oldKind, List<Object> old);

        void truncate(List<Integer> relationIds);
    }

    private PgOutput() {}

    /**
     * Decodes one message. A text value is a String, a null a null, an unchanged TOASTed value {@link #UNCHANGED}.
     *
     * @throws IllegalArgumentException for a message this decoder cannot read (a binary value, an unknown tuple part)
     */
    static void decode(ByteBuffer in, Handler handler) {
        char type = (char) in.get();
        switch (type) {
            case 'B' -> handler.begin(in.getLong(), millis(in.getLong()), Integer.toUnsignedLong(in.getInt()));
            case 'C' -> {
                in.get(); // flags, unused
                handler.commit(in.getLong(), in.getLong(), millis(in.getLong()));
            }
            case 'R' -> handler.relation(relation(in));
            case 'I' -> {
                int id = in.getInt();
                expect(in, 'N');
                handler.insert(id, tuple(in));
            }
            case 'U' -> {
                int id = in.getInt();
                char kind = (char) in.get();
                List<Object> old = null;
                char oldKind = 0;
                if (kind == 'K' || kind == 'O') {
                    oldKind = kind;
                    old = tuple(in);
                    kind = (char) in.get();
                }
                if (kind != 'N') {
                    throw new IllegalArgumentException("update without a new row (part '" + kind + "')");
                }
                handler.update(id, oldKind, old, tuple(in));
            }
            case 'D' -> {
                int id = in.getInt();
                char kind = (char) in.get();
                handler.delete(id, kind, tuple(in));
            }
            case 'T' -> {
                int n = in.getInt();
                in.get(); // options: CASCADE, RESTART IDENTITY
                List<Integer> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ids.add(in.getInt());
                }
                handler.truncate(ids);
            }
            default -> {
                // 'O' origin, 'Y' type, 'M' logical message: not needed
            }
        }
    }

    private static Relation relation(ByteBuffer in) {
        int id = in.getInt();
        String schema = string(in);
        String name = string(in);
        char identity = (char) in.get();
        int n = in.getShort();
        List<Relation.Column> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            in.get(); // flags: part of the replica identity; the key is the primary key, looked up apart
            String column = string(in);
            int typeOid = in.getInt();
            in.getInt(); // type modifier
            columns.add(new Relation.Column(column, typeOid));
        }
        return new Relation(id, schema.isEmpty() ? "pg_catalog" : schema, name, identity, columns, List.of());
    }

    private static List<Object> tuple(ByteBuffer in) {
        int n = in.getShort();
        List<Object> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            char kind = (char) in.get();
            switch (kind) {
                case 'n' -> values.add(null);
                case 'u' -> values.add(UNCHANGED);
                case 't' -> {
                    int len = in.getInt();
                    values.add(new String(in.array(), in.arrayOffset() + in.position(), len, StandardCharsets.UTF_8));
                    in.position(in.position() + len);
                }
                default -> throw new IllegalArgumentException("column value of kind '" + kind + "' (text expected)");
            }
        }
        return values;
    }

    private static void expect(ByteBuffer in, char part) {
        char got = (char) in.get();
        if (got != part) {
            throw new IllegalArgumentException("expected tuple part '" + part + "', got '" + got + "'");
        }
    }

    private static String string(ByteBuffer in) {
        int start = in.position();
        while (in.get() != 0) {
            // to the terminating zero
        }
        return new String(in.array(), in.arrayOffset() + start, in.position() - start - 1, StandardCharsets.UTF_8);
    }

    private static long millis(long pgMicros) {
        return (pgMicros + PG_EPOCH_MICROS) / 1000;
    }
}
