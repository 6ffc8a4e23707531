package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.join.TableSource;
import dev.sluice.stream.join.Tables;
import dev.sluice.stream.join.VersionedTable;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code join: {table: users, key: user_id}} adds the columns of a table's row to each event, matched by key. The
 * table is a topic of changes (compacted, keyed by the row's key), read to its end before the first event is joined
 * and followed from then on. By default an event is joined with the row as it was at the event's time ({@code
 * as-of: event-time}), so replayed or out-of-order events get the row that was valid then; {@code as-of: latest}
 * takes the newest row. An event with no row is kept ({@code type: left}) or dropped ({@code type: inner}).
 */
final class TableJoinStep implements Step {
    /**
     * @param key the event field matched with the table's key, or null for the event key
     * @param latest join with the newest row rather than the one valid at the event's time
     */
    record Settings(
            TableSource source, FieldPath key, Columns columns, boolean inner, boolean latest, EventTime time) {}

    private final Settings settings;
    private final Tables tables;
    private VersionedTable table;

    TableJoinStep(Settings settings, Tables tables) {
        this.settings = settings;
        this.tables = tables;
    }

    String table() {
        return settings.source().topic();
    }

    @Override
    public void open() {
        table = tables.table(settings.source());
    }

    @Override
    public void apply(StreamRecord record, Consumer<StreamRecord> out) {
        if (table == null) {
            open();
        }
        Map<String, Object> event = record.fields();
        String key = key(record, event);
        Map<String, Object> row = key == null
                ? null
                : settings.latest()
                        ? table.latest(key)
                        : table.asOf(key, settings.time().of(record));
        if (row != null) {
            settings.columns().addTo(event, row, null);
        } else if (settings.inner()) {
            return;
        } else {
            settings.columns().addNullsTo(event);
        }
        out.accept(record);
    }

    private String key(StreamRecord record, Map<String, Object> event) {
        if (settings.key() == null) {
            return record.keyAsString();
        }
        Object value = settings.key().get(event);
        return value == null ? null : String.valueOf(value);
    }
}
