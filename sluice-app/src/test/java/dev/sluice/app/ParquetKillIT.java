package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet sink partitioned by a field and by the hour, its process killed with SIGKILL at five random moments and
 * restarted each time: DuckDB reads every event from the published files exactly once, and a bad event is in the
 * dead letters, not in the lake.
 */
@ExtendWith(CpuHog.Beside.class)
class ParquetKillIT {
    private static final int EVENTS = 300_000;

    @TempDir
    Path dir;

    @Test
    void shouldPublishEveryEventExactlyOnceAcrossKills() throws Exception {
        String topics = """
                broker: embedded:data
                topics:
                  orders: {partitions: 3}
                """;
        Files.writeString(dir.resolve("load.yaml"), "pipeline: load\n" + topics + """
                sources:
                  - name: gen
                    type: generator
                    to: orders
                    count: %d
                    seed: 3
                    key: customer
                    fields:
                      id: sequence
                      customer: {int: [1, 500]}
                      country: {one-of: [NL, DE, FR]}
                      amount: {uniform: [0, 100]}
                """.formatted(EVENTS));
        Files.writeString(dir.resolve("export.yaml"), "pipeline: export\n" + topics + """
                sinks:
                  - name: lake
                    type: parquet
                    from: orders
                    path: lake
                    schema: {id: long, customer: long, country: string, amount: double}
                    partition-by: [country]
                    time-partitions: hour
                """);
        Process load = sluice("run", "load.yaml", "--until-done", "--quiet");
        assertThat(load.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(load.exitValue())
                .as("the load's exit code (output in %s)", logs())
                .isZero();
        Files.writeString(dir.resolve("bad.jsonl"), "{\"id\": \"not a number\"}\n");
        Process bad = sluice("produce", "orders", "--file", "bad.jsonl", "--format", "json", "--data-dir", "data");
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Random random = new Random(5);
        for (int kill = 0; kill < 5; kill++) {
            Process p = sluice("run", "export.yaml", "--quiet", "--checkpoint-interval", "300ms");
            if (kill == 0) { // as soon as the first files are published
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (published().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } else {
                Thread.sleep(1_000 + random.nextInt(2_000));
            }
            SluiceProcess.kill(p); // SIGKILL
            if (kill == 0) {
                assertThat(count("count(*)"))
                        .as("events published before the first kill")
                        .isLessThan(EVENTS);
            }
        }
        Process last = sluice("run", "export.yaml", "--until-done", "--quiet", "--checkpoint-interval", "300ms");
        assertThat(last.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue())
                .as("the last run's exit code (output in %s)", logs())
                .isZero();

        assertThat(count("count(*)")).as("rows in the lake").isEqualTo(EVENTS);
        assertThat(count("count(DISTINCT id)")).as("distinct ids in the lake").isEqualTo(EVENTS);
        assertThat(count("min(id)") + count("max(id)")).isEqualTo(EVENTS - 1);
        assertThat(count("count(DISTINCT country)")).isEqualTo(3); // from the directory names
        assertThat(published().size()).as("files published over the kills").isGreaterThan(5);
        assertThat(published())
                .allMatch(f -> f.toString()
                        .matches(".*/date=\\d{4}-\\d\\d-\\d\\d/hour=\\d\\d/"
                                + "country=(NL|DE|FR)/lake-orders-\\d-\\d+-\\d+-\\d+_\\d+\\.parquet"));

        Process dlq = SluiceProcess.start(dir, null, "dlq", "show", "export.lake.dlq", "--data-dir", "data", "--json");
        assertThat(dlq.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(dlq.getInputStream().readAllBytes()))
                .contains("field 'id' is \\\"not a number\\\", which does not fit the Parquet column type long");
    }

    private long count(String aggregate) throws SQLException, IOException {
        if (published().isEmpty()) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + aggregate + " FROM read_parquet('" + dir.resolve("lake")
                        + "/**/*.parquet', hive_partitioning = true)")) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * The published files, not the hidden in-progress and pending ones, which the running sink moves and deletes while
     * this looks (a walk through them would fail on a directory that just went away).
     */
    private List<Path> published() throws IOException {
        Path lake = dir.resolve("lake");
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(lake)) {
            return out;
        }
        Files.walkFileTree(lake, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes) {
                return d.getFileName().toString().startsWith(".")
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attributes) {
                out.add(f);
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** The processes' output, kept after the test (target/parquet-kill-logs). */
    private static Path logs() throws IOException {
        return Files.createDirectories(Path.of("target", "parquet-kill-logs").toAbsolutePath());
    }

    private Process sluice(String... args) throws IOException {
        return SluiceProcess.start(dir, logs().resolve("sluice-" + System.nanoTime() + ".log"), args);
    }
}
