package dev.sluice.log.config;

import static dev.sluice.log.config.TopicSetting.*;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A topic's validated configuration. Build it from key/value overrides with {@link #of(Map)} (defaults fill the
 * rest) or with {@link #builder()}; see {@link TopicSetting} for every key's meaning and default.
 */
public record TopicConfig(
        long segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        CleanupPolicy cleanupPolicy,
        FlushPolicy flushPolicy,
        long flushIntervalMs,
        int maxMessageBytes,
        int indexIntervalBytes,
        int segmentIndexBytes,
        long deleteRetentionMs,
        long minCompactionLagMs,
        double minCleanableDirtyRatio) {

    private static final TopicConfig DEFAULTS = of(Map.of());

    public static TopicConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Parses and validates overrides by key ({@code retention.ms=7d}); unset keys take their defaults.
     *
     * @throws InvalidConfigException for an unknown key (with the closest known one) or a bad value
     */
    public static TopicConfig of(Map<String, String> overrides) {
        Map<TopicSetting, Object> values = new EnumMap<>(TopicSetting.class);
        for (TopicSetting setting : TopicSetting.values()) {
            values.put(setting, setting.parse(setting.defaultValue()));
        }
        overrides.forEach((key, value) -> {
            TopicSetting setting = TopicSetting.byKey(key)
                    .orElseThrow(() -> new InvalidConfigException(
                            "Unknown topic config '" + key + "'. Did you mean '" + TopicSetting.closestKey(key)
                                    + "'? Known keys: " + String.join(", ", TopicSetting.keys())));
            values.put(setting, setting.parse(value));
        });
        return new TopicConfig(
                (Long) values.get(SEGMENT_BYTES),
                (Long) values.get(SEGMENT_MS),
                (Long) values.get(RETENTION_MS),
                (Long) values.get(RETENTION_BYTES),
                (CleanupPolicy) values.get(CLEANUP_POLICY),
                (FlushPolicy) values.get(FLUSH_POLICY),
                (Long) values.get(FLUSH_MS),
                Math.toIntExact((Long) values.get(MAX_MESSAGE_BYTES)),
                Math.toIntExact((Long) values.get(INDEX_INTERVAL_BYTES)),
                Math.toIntExact((Long) values.get(SEGMENT_INDEX_BYTES)),
                (Long) values.get(DELETE_RETENTION_MS),
                (Long) values.get(MIN_COMPACTION_LAG_MS),
                (Double) values.get(MIN_CLEANABLE_DIRTY_RATIO));
    }

    /** Every setting by key, in declaration order, as it would be written in a config file. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(SEGMENT_BYTES.key(), Long.toString(segmentBytes));
        map.put(SEGMENT_MS.key(), Long.toString(segmentMs));
        map.put(RETENTION_MS.key(), Long.toString(retentionMs));
        map.put(RETENTION_BYTES.key(), Long.toString(retentionBytes));
        map.put(CLEANUP_POLICY.key(), cleanupPolicy.configValue());
        map.put(FLUSH_POLICY.key(), flushPolicy.configValue());
        map.put(FLUSH_MS.key(), Long.toString(flushIntervalMs));
        map.put(MAX_MESSAGE_BYTES.key(), Integer.toString(maxMessageBytes));
        map.put(INDEX_INTERVAL_BYTES.key(), Integer.toString(indexIntervalBytes));
        map.put(SEGMENT_INDEX_BYTES.key(), Integer.toString(segmentIndexBytes));
        map.put(DELETE_RETENTION_MS.key(), Long.toString(deleteRetentionMs));
        map.put(MIN_COMPACTION_LAG_MS.key(), Long.toString(minCompactionLagMs));
        map.put(MIN_CLEANABLE_DIRTY_RATIO.key(), Double.toString(minCleanableDirtyRatio));
        return map;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects overrides by key and validates them all in {@link #build()}. */
    public static final class Builder {
        private final Map<String, String> overrides = new LinkedHashMap<>();

        public Builder set(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public Builder set(TopicSetting setting, Object value) {
            String text = value instanceof Enum<?> e ? e.name() : String.valueOf(value);
            return set(setting.key(), text);
        }

        public Builder flushPolicy(FlushPolicy policy) {
            return set(FLUSH_POLICY, policy);
        }

        public Builder cleanupPolicy(CleanupPolicy policy) {
            return set(CLEANUP_POLICY, policy);
        }

        public Builder segmentBytes(long bytes) {
            return set(SEGMENT_BYTES, bytes);
        }

        public Builder segmentMs(long millis) {
            return set(SEGMENT_MS, millis);
        }

        public Builder retentionMs(long millis) {
            return set(RETENTION_MS, millis);
        }

        public Builder retentionBytes(long bytes) {
            return set(RETENTION_BYTES, bytes);
        }

        public Builder maxMessageBytes(int bytes) {
            return set(MAX_MESSAGE_BYTES, bytes);
        }

        public Builder deleteRetentionMs(long millis) {
            return set(DELETE_RETENTION_MS, millis);
        }

        public TopicConfig build() {
            return TopicConfig.of(overrides);
        }
    }
}
