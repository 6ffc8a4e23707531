package dev.sluice.connect.jdbc;

import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConfigKey;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * {@code type: duckdb}: rows in a table of a DuckDB database file, inserted or upserted by key. The file is opened once
 * per process and shared by every sink that names it; DuckDB has one writer, so this sink runs one task.
 */
public final class DuckDbSink implements SinkConnector {
    private static final Map<Path, DuckDBConnection> OPEN = new HashMap<>();
    private static final Map<Path, Integer> USERS = new HashMap<>();

    @Override
    public String type() {
        return "duckdb";
    }

    @Override
    public String description() {
        return "rows in a DuckDB table (a single file): insert or upsert by key";
    }

    @Override
    public int maxParallelism() {
        return 1;
    }

    @Override
    public List<ConfigKey> keys() {
        List<ConfigKey> keys = new java.util.ArrayList<>();
        keys.add(ConfigKey.required("path", "out/warehouse.duckdb", "the database file (created if missing)"));
        keys.addAll(JdbcSink.TABLE_KEYS);
        return keys;
    }

    @Override
    public Sink create(Config config, ConnectorContext context) {
        Path path = context.resolve(config.string("path")).toAbsolutePath();
        TableWriter writer = JdbcSink.writer(config, Dialect.DUCKDB, () -> connect(path));
        return new Sink() {
            @Override
            public void open() {
                retain(path);
                writer.open();
            }

            @Override
            public void write(List<dev.sluice.stream.StreamRecord> records)
                    throws dev.sluice.stream.connector.SinkException {
                writer.write(records);
            }

            @Override
            public void close() {
                writer.close();
                release(path);
            }
        };
    }

    /** A new connection on the process-wide database instance of {@code path}. */
    static synchronized Connection connect(Path path) throws SQLException {
        DuckDBConnection root = OPEN.get(path);
        if (root == null) {
            try {
                Files.createDirectories(path.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + path);
            OPEN.put(path, root);
        }
        return root.duplicate();
    }

    private static synchronized void retain(Path path) {
        USERS.merge(path, 1, Integer::sum);
    }

    private static synchronized void release(Path path) {
        Integer users = USERS.get(path);
        if (users == null) {
            return;
        }
        if (users <= 1) {
            USERS.remove(path);
            DuckDBConnection root = OPEN.remove(path);
            try {
                if (root != null) {
                    root.close();
                }
            } catch (SQLException e) {
                // closing at shutdown: nothing more to do
            }
        } else {
            USERS.put(path, users - 1);
        }
    }
}
