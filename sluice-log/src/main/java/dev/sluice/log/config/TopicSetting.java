package dev.sluice.log.config;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every topic configuration key, with its type, default, rule and documentation in one place. Names follow Apache
 * Kafka's topic configs where the meaning is the same.
 */
public enum TopicSetting {
    SEGMENT_BYTES(
            "segment.bytes",
            Type.SIZE,
            "1GiB",
            1L << 20,
            Integer.MAX_VALUE,
            "Roll to a new segment file when the active one reaches this size."),
    SEGMENT_MS(
            "segment.ms",
            Type.DURATION,
            "7d",
            1,
            Long.MAX_VALUE,
            "Roll to a new segment when the active one's first record is this old, so retention can delete it."),
    RETENTION_MS(
            "retention.ms",
            Type.DURATION,
            "7d",
            -1,
            Long.MAX_VALUE,
            "Delete segments last written longer ago than this (events' own timestamps do not count); -1 keeps data"
                    + " forever."),
    RETENTION_BYTES(
            "retention.bytes",
            Type.SIZE,
            "-1",
            -1,
            Long.MAX_VALUE,
            "Delete the oldest segments while a partition is larger than this; -1 means no size limit."),
    CLEANUP_POLICY(
            "cleanup.policy",
            Type.CLEANUP,
            "delete",
            0,
            0,
            "delete: retention removes old segments; compact: keep the latest value per key."),
    FLUSH_POLICY(
            "flush.policy",
            Type.FLUSH,
            "always",
            0,
            0,
            "always: acknowledge after fsync (group commit); interval: fsync every flush.ms; os: leave it to the OS."),
    FLUSH_MS(
            "flush.ms", Type.DURATION, "1s", 1, Long.MAX_VALUE, "With flush.policy=interval, the time between fsyncs."),
    MAX_MESSAGE_BYTES(
            "max.message.bytes",
            Type.SIZE,
            "1048588",
            64,
            Integer.MAX_VALUE - 64,
            "Largest record batch the topic accepts (a single record plus 73 bytes of batch and record overhead)."),
    INDEX_INTERVAL_BYTES(
            "index.interval.bytes",
            Type.SIZE,
            "4KiB",
            0,
            Integer.MAX_VALUE,
            "Bytes of log between two entries of the sparse offset and time indexes."),
    SEGMENT_INDEX_BYTES(
            "segment.index.bytes",
            Type.SIZE,
            "10MiB",
            4096,
            Integer.MAX_VALUE,
            "Largest size of a segment's offset index; the segment rolls when it is full."),
    DELETE_RETENTION_MS(
            "delete.retention.ms",
            Type.DURATION,
            "1d",
            0,
            Long.MAX_VALUE,
            "With cleanup.policy=compact, how long tombstones are kept after compaction first sees them."),
    MIN_COMPACTION_LAG_MS(
            "min.compaction.lag.ms",
            Type.DURATION,
            "0",
            0,
            Long.MAX_VALUE,
            "A record stays uncompacted for at least this long after it was written."),
    MIN_CLEANABLE_DIRTY_RATIO(
            "min.cleanable.dirty.ratio",
            Type.RATIO,
            "0.5",
            0,
            1,
            "Compact a partition when this share of it has not been compacted yet.");

    enum Type {
        SIZE,
        DURATION,
        CLEANUP,
        FLUSH,
        RATIO
    }

    private final String key;
    private final Type type;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final String doc;

    TopicSetting(String key, Type type, String defaultValue, long min, long max, String doc) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    public static Optional<TopicSetting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** The known key closest to a misspelt one, for "did you mean" hints. */
    public static String closestKey(String key) {
        return Arrays.stream(values())
                .map(TopicSetting::key)
                .min(Comparator.comparingInt(k -> Levenshtein.distance(k, key)))
                .orElseThrow();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(TopicSetting::key).toList();
    }

    /**
     * Parses and validates one value.
     *
     * @return a Long, Double or policy enum
     * @throws InvalidConfigException naming the key, the value and the rule
     */
    Object parse(String text) {
        try {
            return switch (type) {
                case SIZE -> checkRange(text, ByteSizes.parse(text));
                case DURATION -> checkRange(text, Durations.parseMillis(text));
                case RATIO -> {
                    double d = Double.parseDouble(text.trim());
                    if (!(d >= min && d <= max)) {
                        throw InvalidConfigException.invalidValue(key, text, "must be between 0 and 1");
                    }
                    yield d;
                }
                case CLEANUP -> CleanupPolicy.valueOf(text.trim().toUpperCase(Locale.ROOT));
                case FLUSH -> FlushPolicy.valueOf(text.trim().toUpperCase(Locale.ROOT));
            };
        } catch (IllegalArgumentException e) {
            String rule = switch (type) {
                case CLEANUP -> "must be one of delete, compact";
                case FLUSH -> "must be one of always, interval, os";
                case RATIO -> "must be a number between 0 and 1";
                default -> e.getMessage();
            };
            throw InvalidConfigException.invalidValue(key, text, rule);
        }
    }

    private long checkRange(String text, long value) {
        if (value < min) {
            throw InvalidConfigException.invalidValue(key, text, "must be >= " + min);
        }
        if (value > max) {
            throw InvalidConfigException.invalidValue(key, text, "must be <= " + max);
        }
        return value;
    }
}
