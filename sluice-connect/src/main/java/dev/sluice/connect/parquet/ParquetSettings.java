package dev.sluice.connect.parquet;

import dev.sluice.log.config.ByteSizes;
import dev.sluice.stream.connector.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A Parquet sink's settings, checked. */
record ParquetSettings(
        Map<String, ColumnType> columns,
        boolean inferred,
        boolean dropExtraFields,
        List<String> partitionBy,
        ParquetSchema.TimePartitions time,
        String timeField,
        String compression,
        long rollBytes,
        long rollEveryMs) {
    static final List<String> COMPRESSIONS = List.of("zstd", "snappy", "gzip", "lz4", "brotli", "uncompressed");

    /** @throws dev.sluice.stream.spec.PipelineException naming the key and the fix */
    static ParquetSettings of(Config config) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        if (config.has("schema")) {
            for (Map.Entry<String, Object> e : config.map("schema").entrySet()) {
                ColumnType type = e.getValue() == null
                        ? null
                        : ColumnType.named(e.getValue().toString());
                if (type == null) {
                    throw config.error(
                            "schema",
                            "field '" + e.getKey() + "' has type '" + e.getValue() + "'; the types are "
                                    + ColumnType.names());
                }
                columns.put(e.getKey(), type);
            }
            if (columns.isEmpty()) {
                throw config.error("schema", "is empty; give the columns (field: type), or leave it out to infer them");
            }
        }
        boolean inferred = columns.isEmpty();
        String extra = config.string("extra-fields", "reject").toLowerCase(Locale.ROOT);
        if (!extra.equals("reject") && !extra.equals("drop")) {
            throw config.error("extra-fields", "is '" + extra + "'; use reject (dead-letter the event) or drop");
        }
        if (inferred && config.has("extra-fields")) {
            throw config.error("extra-fields", "applies to a given 'schema'; an inferred one takes every field");
        }
        List<String> partitionBy = config.has("partition-by") ? config.strings("partition-by") : List.of();
        ParquetSchema.TimePartitions time;
        try {
            time = ParquetSchema.TimePartitions.valueOf(
                    config.string("time-partitions", "none").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw config.error(
                    "time-partitions",
                    "is '" + config.string("time-partitions") + "'; use none, day (date=...) or hour"
                            + " (date=.../hour=...)");
        }
        for (String field : partitionBy) {
            if (!inferred && !columns.containsKey(field)) {
                throw config.error(
                        "partition-by",
                        "field '" + field + "' is not in 'schema'; add it there, or partition by " + columns.keySet());
            }
            if (time != ParquetSchema.TimePartitions.NONE
                    && (field.equals(ParquetSchema.DATE) || field.equals(ParquetSchema.HOUR))) {
                throw config.error(
                        "partition-by", "'" + field + "' is a time partition already (time-partitions); leave it out");
            }
            if (inferred) {
                columns.put(field, ColumnType.STRING); // a directory name
            }
        }
        if (!inferred && time != ParquetSchema.TimePartitions.NONE) {
            for (String t : List.of(ParquetSchema.DATE, ParquetSchema.HOUR)) {
                if (columns.containsKey(t)) {
                    throw config.error(
                            "time-partitions",
                            "the schema has a field '" + t + "', which is the name of a time"
                                    + " partition; rename the field in a step, or partition by it with 'partition-by'");
                }
            }
        }
        if (config.has("time-field") && time == ParquetSchema.TimePartitions.NONE) {
            throw config.error("time-field", "only chooses the time for 'time-partitions'; set that too, or remove it");
        }
        String compression = config.string("compression", "zstd").toLowerCase(Locale.ROOT);
        if (!COMPRESSIONS.contains(compression)) {
            throw config.error(
                    "compression", "is '" + compression + "'; use one of " + String.join(", ", COMPRESSIONS));
        }
        long rollBytes;
        try {
            rollBytes = config.has("roll-size") ? ByteSizes.parse(config.string("roll-size")) : 128L << 20;
        } catch (IllegalArgumentException e) {
            throw config.error("roll-size", e.getMessage());
        }
        long rollEveryMs = config.positiveDurationMillis("roll-every", 0);
        return new ParquetSettings(
                Collections.unmodifiableMap(columns), // in the order given
                inferred,
                extra.equals("drop"),
                partitionBy,
                time,
                config.has("time-field") ? config.string("time-field") : null,
                compression,
                rollBytes,
                rollEveryMs);
    }

    ParquetSchema newSchema() {
        return new ParquetSchema(columns, inferred, dropExtraFields, time, timeField);
    }
}
