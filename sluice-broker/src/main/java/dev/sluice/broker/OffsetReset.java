package dev.sluice.broker;

/** Where a consumer starts in a partition for which its group has no committed offset. */
public enum OffsetReset {
    /** At the oldest stored event. */
    EARLIEST,
    /** At the end: only events published from now on. */
    LATEST,
    /** Fail with {@link OffsetOutOfRangeException}. */
    NONE
}
