package dev.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.runtime.Metrics;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink whose database is unreachable or whose table is locked is retried with backoff; its consumption pauses (one
 * batch in hand, no more), and once the database answers again every event is delivered.
 */
class SinkDownIT {
    /** Tables this test created in the shared database, dropped afterwards. */
    private final java.util.List<String> createdTables = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void dropCreatedTables() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(EndToEndIT.PG);
                java.sql.Statement s = c.createStatement()) {
            for (String t : createdTables) {
                s.execute("DROP TABLE IF EXISTS " + t);
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void shouldPauseOnALockedTableAndDeliverEverythingWhenItIsReleased() throws Exception {
        String table = "locked_" + System.nanoTime();
        createdTables.add(table);
        try (Connection locker = DriverManager.getConnection(EndToEndIT.PG)) {
            try (Statement s = locker.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v BIGINT)");
            }
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            }
            PipelineSpec spec = Pipeline.named("down")
                    .topic("in", 1)
                    .source(
                            "gen",
                            "generator",
                            "in",
                            Map.of(
                                    "count",
                                    10_000,
                                    "fields",
                                    Map.of("id", "sequence", "v", Map.of("int", List.of(1, 9)))))
                    .sink(
                            "pg",
                            "jdbc",
                            Map.of("url", EndToEndIT.PG, "table", table, "mode", "upsert", "key", List.of("id")),
                            s -> s.from("in"))
                    .build();
            try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                    PipelineRun run = PipelineRun.start(
                            spec, broker, RuntimeOptions.defaults(dir).withBackoff(new Backoff(50, 500)))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> run.metrics().get("pg").retries() >= 1);
                Metrics.Snapshot waiting = run.metrics().get("pg");
                assertThat(waiting.waitingOn()).contains("lock");
                // consumption paused: the sink task holds one polled batch, the rest waits in the topic
                await().atMost(Duration.ofSeconds(10)).until(run::sourcesFinished);
                assertThat(run.metrics().get("pg").in()).isLessThanOrEqualTo(2_000);
                assertThat(run.lag("pg")).isGreaterThanOrEqualTo(8_000);
                locker.commit(); // release the lock
                assertThat(run.awaitIdle(Duration.ofSeconds(60))).isTrue();
                assertThat(run.metrics().get("pg").waitingOn()).isNull();
            }
        }
        assertThat(count(table)).isEqualTo(10_000);
    }

    @Test
    void shouldRetryAnUnreachableDatabaseWithBackoffAndSayWhy() throws Exception {
        PipelineSpec spec = Pipeline.named("unreachable")
                .topic("in", 1)
                .source("gen", "generator", "in", Map.of("count", 100, "fields", Map.of("id", "sequence")))
                .sink(
                        "pg",
                        "jdbc",
                        Map.of(
                                "url",
                                "jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=2",
                                "table",
                                "t"),
                        s -> s.from("in"))
                .build();
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                PipelineRun run = PipelineRun.start(
                        spec, broker, RuntimeOptions.defaults(dir).withBackoff(new Backoff(50, 200)))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> run.metrics().get("pg").retries() >= 3);
            assertThat(run.metrics().get("pg").waitingOn())
                    .startsWith("database unavailable:")
                    .contains("127.0.0.1:1");
            assertThat(run.metrics().get("pg").out()).isZero();
            assertThat(run.failure()).isNull();
        }
    }

    private static long count(String table) throws Exception {
        try (Connection c = DriverManager.getConnection(EndToEndIT.PG);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
