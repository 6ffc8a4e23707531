package dev.sluice.connect.jdbc;

import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import java.sql.DriverManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code type: jdbc}: rows in a table of a JDBC database such as PostgreSQL, inserted or upserted by key, a batch per
 * transaction, the table created from the events if missing.
 */
public final class JdbcSink implements SinkConnector {
    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public String description() {
        return "rows in a database table (PostgreSQL and other JDBC databases): insert or upsert by key";
    }

    /** The settings of every table sink, whatever the database. */
    static final List<ConfigKey> TABLE_KEYS = List.of(
            ConfigKey.required("table", "clicks", "the table"),
            ConfigKey.optional("mode", "upsert", "insert (default) or upsert (needs key)"),
            ConfigKey.optional("key", "[event_id]", "primary-key columns, for upsert and table creation"),
            ConfigKey.optional(
                    "create-table", "true", "create the table from the events if it is missing (default true)"),
            ConfigKey.optional("columns", "{ts: timestamptz}", "column types to use when creating the table"));

    @Override
    public List<ConfigKey> keys() {
        List<ConfigKey> keys = new java.util.ArrayList<>(List.of(
                ConfigKey.required("url", "jdbc:postgresql://127.0.0.1:5432/test", "the JDBC URL"),
                ConfigKey.optional("user", "postgres", "database user"),
                ConfigKey.optional("password", "secret", "database password")));
        keys.addAll(TABLE_KEYS);
        return keys;
    }

    @Override
    public Sink create(Config config, ConnectorContext context) {
        String url = config.string("url");
        if (!url.startsWith("jdbc:")) {
            throw config.error(
                    "url", "must be a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/test; got '" + url + "'.");
        }
        Properties props = new Properties();
        if (config.has("user")) {
            props.setProperty("user", config.string("user"));
        }
        if (config.has("password")) {
            props.setProperty("password", config.string("password"));
        }
        return writer(config, Dialect.forUrl(url), () -> DriverManager.getConnection(url, props));
    }

    static TableWriter writer(Config config, Dialect dialect, TableWriter.ConnectionFactory factory) {
        String mode = config.string("mode", "insert");
        if (!mode.equals("insert") && !mode.equals("upsert")) {
            throw config.error("mode", "must be insert or upsert; got '" + mode + "'.");
        }
        List<String> keys = config.has("key") ? config.strings("key") : List.of();
        if (mode.equals("upsert") && keys.isEmpty()) {
            throw config.error(
                    "key", "is needed for mode upsert: the columns that identify a row, such as [event_id].");
        }
        Map<String, String> columns = new LinkedHashMap<>();
        if (config.has("columns")) {
            config.map("columns").forEach((k, v) -> columns.put(k, String.valueOf(v)));
        }
        return new TableWriter(
                factory,
                dialect,
                config.string("table"),
                mode.equals("upsert"),
                keys,
                config.bool("create-table", true),
                columns);
    }
}
