package dev.sluice.stream.step;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A dimension table held in memory for {@code enrich}: rows by key, loaded from a CSV file (with a header row) or a
 * JDBC query, and reloaded when older than the refresh interval. A failed reload keeps the previous rows. Shared by
 * the tasks of a stage; thread-safe.
 */
final class LookupTable {
    interface Loader {
        Map<String, Map<String, Object>> load(String keyColumn) throws IOException, SQLException;
    }

    private final String description;
    private final Loader loader;
    private final String keyColumn;
    private final long refreshMs;
    private final Clock clock;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Map<String, Map<String, Object>> rows;
    private volatile long loadedAt;

    LookupTable(String description, Loader loader, String keyColumn, long refreshMs, Clock clock)
            throws IOException, SQLException {
        this.description = description;
        this.loader = loader;
        this.keyColumn = keyColumn;
        this.refreshMs = refreshMs;
        this.clock = clock;
        this.rows = loader.load(keyColumn);
        this.loadedAt = clock.millis();
    }

    Map<String, Object> get(String key) {
        if (clock.millis() - loadedAt > refreshMs && reloading.tryLock()) {
            try {
                rows = loader.load(keyColumn);
            } catch (IOException | SQLException | RuntimeException e) {
                System.getLogger("dev.sluice.stream")
                        .log(
                                System.Logger.Level.WARNING,
                                "reloading lookup " + description + " failed; keeping the previous rows: "
                                        + e.getMessage());
            } finally {
                loadedAt = clock.millis();
                reloading.unlock();
            }
        }
        return rows.get(key);
    }

    int size() {
        return rows.size();
    }

    static Loader csv(Path file) {
        return keyColumn -> {
            Map<String, Map<String, Object>> out = new HashMap<>();
            CsvMapper mapper = new CsvMapper();
            try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(file.toFile())) {
                while (it.hasNext()) {
                    Map<String, String> row = it.next();
                    if (!row.containsKey(keyColumn)) {
                        throw new IOException("column '" + keyColumn + "' is not in the header of " + file
                                + " (columns: " + String.join(", ", row.keySet()) + ")");
                    }
                    out.put(row.get(keyColumn), new LinkedHashMap<>(row));
                }
            }
            return out;
        };
    }

    static Loader jdbc(String url, String query) {
        return keyColumn -> {
            Map<String, Map<String, Object>> out = new HashMap<>();
            try (Connection c = DriverManager.getConnection(url);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(query)) {
                ResultSetMetaData md = rs.getMetaData();
                int keyIndex = -1;
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    if (md.getColumnLabel(i).equalsIgnoreCase(keyColumn)) {
                        keyIndex = i;
                    }
                }
                if (keyIndex < 0) {
                    throw new SQLException("column '" + keyColumn + "' is not in the result of: " + query);
                }
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                    }
                    out.put(String.valueOf(rs.getObject(keyIndex)), row);
                }
            }
            return out;
        };
    }
}
