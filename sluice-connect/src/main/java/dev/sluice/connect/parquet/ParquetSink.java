package dev.sluice.connect.parquet;

import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import dev.sluice.stream.connector.TransactionalSink;
import java.util.List;

/**
 * {@code type: parquet}: a data lake directory of Parquet files, written by DuckDB ({@code COPY ... (FORMAT PARQUET)}),
 * partitioned by fields and event time in {@code name=value} directories, compressed, and published exactly once by
 * the input offsets at each commit (see {@link ParquetFiles}), whatever the stage's guarantee.
 */
public final class ParquetSink implements SinkConnector {
    @Override
    public String type() {
        return "parquet";
    }

    @Override
    public String description() {
        return "Parquet files in a data lake directory, partitioned, published exactly once";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(
                ConfigKey.required("path", "lake/clicks", "the directory the files go to (created if missing)"),
                ConfigKey.optional(
                        "schema", "{user: string, amount: double}", "the columns; left out, they are inferred"),
                ConfigKey.optional(
                        "extra-fields", "reject", "an event field the schema lacks: reject (dead letter) or drop"),
                ConfigKey.optional("partition-by", "[country]", "fields whose values split the files into directories"),
                ConfigKey.optional("time-partitions", "hour", "none, day (date=...) or hour (date=.../hour=...)"),
                ConfigKey.optional(
                        "time-field", "at", "the field with the event time (default: the event's timestamp)"),
                ConfigKey.optional("compression", "zstd", "zstd, snappy, gzip, lz4, brotli or uncompressed"),
                ConfigKey.optional("roll-size", "128MiB", "write a file when an input partition buffered this much"),
                ConfigKey.optional(
                        "roll-every", "1m", "publish the files this often (default: the checkpoint interval)"));
    }

    @Override
    public boolean twoPhase() {
        return true;
    }

    @Override
    public Sink create(Config config, ConnectorContext context) {
        return createExactlyOnce(config, context);
    }

    @Override
    public TransactionalSink createExactlyOnce(Config config, ConnectorContext context) {
        return new ParquetFiles(context.resolve(config.string("path")), context.name(), ParquetSettings.of(config));
    }
}
