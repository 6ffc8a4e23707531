package dev.sluice.stream.join;

/**
 * Where a table comes from: a topic whose events are the table's changes (the key is the row's key, the value the
 * row as a JSON object, an empty value deletes it), as a compacted topic keeps them.
 *
 * @param topic the topic
 * @param historyMs how long versions are kept behind each key's newest one
 * @param timeField the row field that says when a version became valid, or null for the event timestamp
 */
public record TableSource(String topic, long historyMs, String timeField) {
    public TableSource {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("a table needs a topic");
        }
        if (historyMs < 0) {
            throw new IllegalArgumentException("history must be >= 0, got " + historyMs);
        }
    }
}
