package dev.sluice.log.config;

/** When appended data is forced to the disk, and so when an append is acknowledged. */
public enum FlushPolicy {
    /**
     * Every append is acknowledged only after an fsync covers it. Writers waiting at the same time share one fsync
     * (group commit), so the cost is one fsync per burst, not per record. Survives power loss.
     */
    ALWAYS,
    /** Acknowledged after the write; fsync every {@code flush.ms}. A power loss may lose the last interval. */
    INTERVAL,
    /** Acknowledged after the write; the operating system decides when to write back. Survives a process crash. */
    OS;

    public String configValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
