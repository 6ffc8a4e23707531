package dev.sluice.log.config;

/** What happens to old data: whole segments are deleted by retention, or the topic is compacted by key. */
public enum CleanupPolicy {
    /** Retention by time and bytes deletes whole old segments. */
    DELETE,
    /** The latest value per key survives; tombstones are removed after {@code delete.retention.ms}. */
    COMPACT;

    public String configValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
