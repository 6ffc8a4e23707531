package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A windowed aggregation into PostgreSQL, its process killed with SIGKILL at ten random moments and restarted each
 * time: the table ends up equal to a batch computation over the same events, with no window lost and none counted
 * twice.
 */
@ExtendWith(CpuHog.Beside.class)
class WindowKillIT {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final int EVENTS = 150_000;
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    private final List<String> createdTables = new ArrayList<>();

    @AfterEach
    void dropCreatedTables() throws Exception {
        try (Connection c = DriverManager.getConnection(PG);
                Statement s = c.createStatement()) {
            for (String t : createdTables) {
                s.execute("DROP TABLE IF EXISTS " + t);
            }
        }
    }

    @Test
    void shouldEndWithTheBatchResultAfterTenKills() throws Exception {
        String table = "views_kill_" + System.nanoTime();
        createdTables.add(table);
        String topics = """
                broker: embedded:data
                topics:
                  clicks: {partitions: %d}
                """.formatted(PARTITIONS);
        // the input is loaded first, so that a source sending events again after a kill does not count here
        Files.writeString(dir.resolve("load.yaml"), "pipeline: load\n" + topics + """
                sources:
                  - name: gen
                    type: generator
                    to: clicks
                    count: %d
                    seed: 5
                    key: user
                    fields:
                      ts: sequence
                      page: {one-of: [/a, /b, /c, /d, /e]}
                      user: {int: [1, 60]}
                """.formatted(EVENTS));
        Files.writeString(dir.resolve("views.yaml"), "pipeline: views\n" + topics + """
                sinks:
                  - name: pg
                    type: jdbc
                    from: clicks
                    url: "%s"
                    table: %s
                    mode: upsert
                    key: [page, window_start]
                    steps:
                      - parse: json
                      - window:
                          tumbling: 1m
                          by: page
                          time: ts
                          out-of-order: 30s
                          idle-timeout: 3s
                          aggregate: {views: count(), users: count_distinct(user)}
                """.formatted(PG, table));
        Process load = sluice("run", "load.yaml", "--until-done", "--quiet");
        assertThat(load.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(load.exitValue())
                .as("the load's exit code (its output is in %s)", logs())
                .isZero();

        Random random = new Random(42);
        for (int kill = 0; kill < 10; kill++) {
            Process p = sluice("run", "views.yaml", "--quiet", "--checkpoint-interval", "300ms");
            Thread.sleep(1_200 + random.nextInt(2_500));
            SluiceProcess.kill(p); // SIGKILL
        }

        Map<String, long[]> expected = batchReference();
        long lastEventSecond = EVENTS - 1;
        Set<String> surelyClosed = new HashSet<>();
        expected.keySet().forEach(id -> {
            long end = Instant.parse(id.substring(id.indexOf('@') + 1)).getEpochSecond() + 60;
            if (end <= lastEventSecond - 120) {
                surelyClosed.add(id);
            }
        });
        Process last = sluice("run", "views.yaml", "--checkpoint-interval", "300ms");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!rows(table).keySet().containsAll(surelyClosed) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
        } finally {
            last.destroyForcibly();
            last.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(count("views.pg.late")).as("late events").isZero();
        assertThat(count("views.pg.dlq")).as("dead letters").isZero();
        Map<String, long[]> got = rows(table);
        assertThat(got.keySet()).containsAll(surelyClosed);
        got.forEach((id, values) -> {
            assertThat(expected).as("a window that has events: %s", id).containsKey(id);
            assertThat(values[0]).as("views of %s", id).isEqualTo(expected.get(id)[0]);
            assertThat(values[1]).as("users of %s", id).isEqualTo(expected.get(id)[1]);
        });
    }

    /** Views and distinct users per page and minute, computed from the loaded events in one pass. */
    private Map<String, long[]> batchReference() {
        Map<String, long[]> views = new TreeMap<>();
        Map<String, Set<Object>> users = new TreeMap<>();
        int read = 0;
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                Consumer c = broker.consumer(ConsumerConfig.defaults())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                all.add(new TopicPartition("clicks", p));
            }
            c.assign(all);
            for (List<ConsumedEvent> batch = c.poll(Duration.ofSeconds(1));
                    !batch.isEmpty();
                    batch = c.poll(Duration.ofMillis(300))) {
                for (ConsumedEvent e : batch) {
                    Map<String, Object> f = Json.parseObject(e.value());
                    long ts = ((Number) f.get("ts")).longValue();
                    String id = f.get("page") + "@" + Instant.ofEpochSecond(ts - ts % 60);
                    views.computeIfAbsent(id, k -> new long[1])[0]++;
                    users.computeIfAbsent(id, k -> new HashSet<>()).add(f.get("user"));
                    read++;
                }
            }
        }
        assertThat(read).isEqualTo(EVENTS);
        Map<String, long[]> out = new TreeMap<>();
        views.forEach((id, n) -> out.put(id, new long[] {n[0], users.get(id).size()}));
        return out;
    }

    private long count(String topic) {
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"))) {
            if (!broker.admin().listTopics(true).contains(topic)) {
                return 0;
            }
            return broker.admin().describeTopic(topic).partitions().stream()
                    .mapToLong(p -> p.endOffset() - p.startOffset())
                    .sum();
        }
    }

    /** The table's rows by page and window start, checking each appears once. */
    private static Map<String, long[]> rows(String table) throws Exception {
        Map<String, long[]> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(PG);
                Statement s = c.createStatement()) {
            ResultSet exists = s.executeQuery("SELECT to_regclass('" + table + "')");
            exists.next();
            if (exists.getString(1) == null) {
                return out;
            }
            try (ResultSet rs = s.executeQuery("SELECT page, window_start, views, users FROM " + table)) {
                while (rs.next()) {
                    String id = rs.getString(1) + "@" + rs.getString(2);
                    assertThat(out.put(id, new long[] {rs.getLong(3), rs.getLong(4)}))
                            .as("one row per page and window")
                            .isNull();
                }
            }
        }
        return out;
    }

    /** The processes' output, kept after the test (target/window-kill-logs). */
    private static Path logs() throws IOException {
        return Files.createDirectories(Path.of("target", "window-kill-logs").toAbsolutePath());
    }

    private Process sluice(String... args) throws IOException {
        return SluiceProcess.start(dir, logs().resolve("sluice-" + System.nanoTime() + ".log"), args);
    }
}
