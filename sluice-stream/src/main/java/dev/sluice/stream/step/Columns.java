package dev.sluice.stream.step;

import java.util.List;
import java.util.Map;

/**
 * Which columns of a looked-up row a step adds to an event, and under which names.
 *
 * @param fields the columns to add, or null for all of them
 * @param prefix put in front of each column's name
 */
record Columns(List<String> fields, String prefix) {
    /** Adds the row's columns to the event (all but {@code skip}, the row's key column, when all are added). */
    void addTo(Map<String, Object> event, Map<String, Object> row, String skip) {
        if (fields == null) {
            row.forEach((column, value) -> {
                if (!column.equals(skip)) {
                    event.put(prefix + column, value);
                }
            });
        } else {
            for (String f : fields) {
                event.put(prefix + f, row.get(f));
            }
        }
    }

    /** Adds the named columns as null, so an event with no row has the same fields as one with a row. */
    void addNullsTo(Map<String, Object> event) {
        if (fields != null) {
            for (String f : fields) {
                event.put(prefix + f, null);
            }
        }
    }
}
