package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.json.Json;
import dev.sluice.testkit.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code postgres-cdc} source in a {@code sluice run} process killed with SIGKILL five times, the first time most
 * likely during its initial snapshot, while an application inserts and updates rows: after a last run, replaying the
 * topic's changes in order gives exactly the table's rows (so no change was lost), and every row came as a snapshot
 * read or an insert.
 */
@ExtendWith(CpuHog.Beside.class)
class PostgresCdcKillIT {
    private static final int EXISTING = 200_000;
    private static final int WRITES = 4_000;

    @TempDir
    Path dir;

    @Test
    void shouldCaptureEveryChangeAcrossKills() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.startLogical()) {
            String url = postgres.jdbcUrl();
            sql(url, "CREATE TABLE orders (id int PRIMARY KEY, status text, amount numeric(10,2))");
            sql(url, "INSERT INTO orders SELECT i, 'new', i / 100.0 FROM generate_series(1, " + EXISTING + ") i");
            Path file = dir.resolve("cdc.yaml");
            Files.writeString(file, """
                    pipeline: shop
                    broker: embedded:data
                    topics:
                      changes: {partitions: 1, flush.policy: always}
                    sources:
                      - name: orders
                        type: postgres-cdc
                        url: %s
                        tables: [orders]
                        to: changes
                    """.formatted(url));
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> write(url));
            Random random = new Random(5);
            for (int kill = 0; kill < 5; kill++) {
                Process p = SluiceProcess.start(
                        dir, dir.resolve("run-" + kill + ".log"), "run", file.toString(), "--quiet");
                Thread.sleep(kill == 0 ? 1_300 : 1_500 + random.nextInt(2_500)); // the first during the snapshot
                SluiceProcess.kill(p); // SIGKILL, with changes in flight
            }
            writing.get(2, TimeUnit.MINUTES);
            Map<Integer, Map<String, Object>> table = rows(url);
            Replayed replayed;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            // each run twice as long as the one before: a snapshot cut short starts again, and on a busy machine a
            // snapshot of the whole table needs more than a few seconds
            long runMs = 3_000;
            do {
                Process last = SluiceProcess.start(dir, dir.resolve("last.log"), "run", file.toString(), "--quiet");
                Thread.sleep(runMs);
                runMs *= 2;
                SluiceProcess.stop(last); // SIGTERM: stops cleanly, releasing the data directory to look into
                replayed = replay();
            } while (!replayed.rows.equals(table) && System.nanoTime() < deadline);
            assertThat(replayed.rows)
                    .as("the table, replayed from the topic; logs in " + dir + "; " + differences(table, replayed.rows))
                    .isEqualTo(table);
            assertThat(replayed.created)
                    .as("rows that came as a read or an insert")
                    .isEqualTo(table.keySet().size());
        }
    }

    /** Inserts rows and updates earlier ones, one transaction at a time, about 250 a second. */
    private static void write(String url) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (int i = 1; i <= WRITES; i++) {
                int id = EXISTING + i;
                c.setAutoCommit(false);
                s.execute("INSERT INTO orders VALUES (" + id + ", 'new', " + i + ")");
                s.execute("UPDATE orders SET status = 'paid' WHERE id = " + (id - 1));
                if (i % 10 == 0) {
                    s.execute("DELETE FROM orders WHERE id = " + (i * 7));
                }
                c.commit();
                if (i % 25 == 0) {
                    Thread.sleep(100);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Replayed(Map<Integer, Map<String, Object>> rows, int created) {}

    /** The table as the topic's changes build it, in order; and how many ids came as a read or an insert. */
    @SuppressWarnings("unchecked")
    private Replayed replay() {
        Map<Integer, Map<String, Object>> rows = new HashMap<>();
        java.util.Set<Integer> created = new java.util.HashSet<>();
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                Consumer c = broker.consumer(ConsumerConfig.defaults().withMaxPollEvents(10_000))) {
            c.assign(List.of(new TopicPartition("changes", 0)));
            for (List<ConsumedEvent> batch = c.poll(Duration.ofMillis(500));
                    !batch.isEmpty();
                    batch = c.poll(Duration.ofMillis(200))) {
                for (ConsumedEvent e : batch) {
                    Map<String, Object> change = Json.parseObject(e.value());
                    Map<String, Object> after = (Map<String, Object>) change.get("after");
                    Map<String, Object> before = (Map<String, Object>) change.get("before");
                    switch ((String) change.get("op")) {
                        case "r", "c" -> {
                            int id = ((Number) after.get("id")).intValue();
                            rows.put(id, normal(after));
                            created.add(id);
                        }
                        case "u" -> rows.put(((Number) after.get("id")).intValue(), normal(after));
                        case "d" -> rows.remove(((Number) before.get("id")).intValue());
                        case "t" -> rows.clear(); // a snapshot done again: the rows of the one before are void
                        default -> throw new AssertionError("unexpected change " + change);
                    }
                }
            }
        }
        created.retainAll(rows.keySet());
        return new Replayed(rows, created.size());
    }

    /** What differs, in a few words: missing, extra and changed ids, a few of each. */
    private static String differences(Map<Integer, Map<String, Object>> table, Map<Integer, Map<String, Object>> got) {
        List<Integer> missing = table.keySet().stream()
                .filter(k -> !got.containsKey(k))
                .sorted()
                .toList();
        List<Integer> extra = got.keySet().stream()
                .filter(k -> !table.containsKey(k))
                .sorted()
                .toList();
        List<String> changed = table.keySet().stream()
                .filter(k -> got.containsKey(k) && !got.get(k).equals(table.get(k)))
                .sorted()
                .map(k -> k + ": " + got.get(k) + " instead of " + table.get(k))
                .toList();
        return missing.size() + " missing " + missing.subList(0, Math.min(10, missing.size())) + ", " + extra.size()
                + " extra " + extra.subList(0, Math.min(10, extra.size())) + ", " + changed.size() + " changed "
                + changed.subList(0, Math.min(5, changed.size()));
    }

    private static Map<String, Object> normal(Map<String, Object> row) {
        return Map.of(
                "status", row.get("status"),
                "amount", new java.math.BigDecimal(row.get("amount").toString()).stripTrailingZeros());
    }

    private static Map<Integer, Map<String, Object>> rows(String url) throws SQLException {
        Map<Integer, Map<String, Object>> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id, status, amount FROM orders")) {
            while (r.next()) {
                rows.put(
                        r.getInt(1),
                        Map.of(
                                "status",
                                r.getString(2),
                                "amount",
                                r.getBigDecimal(3).stripTrailingZeros()));
            }
        }
        return rows;
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
