package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} killed with SIGKILL in the middle, three times, then run to the end: no event is missing from any
 * sink, and the upserting tables (PostgreSQL and DuckDB) hold exactly one row per event.
 */
@ExtendWith(CpuHog.Beside.class)
class PipelineKillIT {
    /** Tables this test created in the shared database, dropped afterwards. */
    private final java.util.List<String> createdTables = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void dropCreatedTables() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG);
                java.sql.Statement s = c.createStatement()) {
            for (String t : createdTables) {
                s.execute("DROP TABLE IF EXISTS " + t);
            }
        }
    }

    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final int EVENTS = 20_000;

    @TempDir
    Path dir;

    @Test
    void shouldLoseNothingWhenKilledMidRun() throws Exception {
        String table = "kill_" + System.nanoTime();
        createdTables.add(table);
        Files.writeString(dir.resolve("p.yaml"), """
                pipeline: kill
                broker: embedded:data
                topics:
                  raw: {partitions: 3}
                  ready: {partitions: 3}
                sources:
                  - {name: gen, type: generator, to: raw, count: %d, rate: 6000/s, key: id, fields: {id: sequence, v: {int: [1, 1000]}}}
                stages:
                  - name: shape
                    from: raw
                    steps:
                      - parse: json
                      - map: {double_v: "event.v * 2"}
                    to: ready
                sinks:
                  - {name: pg, type: jdbc, from: ready, url: "%s", table: %s, mode: upsert, key: [id]}
                  - {name: duck, type: duckdb, from: ready, path: out/kill.duckdb, table: events, mode: upsert, key: [id]}
                  - {name: files, type: file, from: ready, path: out/files}
                """.formatted(EVENTS, PG, table));
        Random random = new Random(7);
        for (int round = 0; round < 3; round++) {
            Process p = sluice("run", dir.resolve("p.yaml").toString(), "--quiet");
            Thread.sleep(2_500 + random.nextInt(1_500));
            SluiceProcess.kill(p); // SIGKILL
        }
        Process last = sluice("run", dir.resolve("p.yaml").toString(), "--until-done", "--quiet", "--timeout", "3m");
        String out = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(last.waitFor(200, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(out).isZero();

        Set<Long> expected = new HashSet<>();
        for (long i = 0; i < EVENTS; i++) {
            expected.add(i);
        }
        assertThat(rows(PG, "SELECT id, double_v FROM " + table)).isEqualTo(expected);
        assertThat(rows("jdbc:duckdb:" + dir.resolve("out/kill.duckdb"), "SELECT id, double_v FROM events"))
                .isEqualTo(expected);
        assertThat(new HashSet<>(fileIds(dir.resolve("out/files")))).isEqualTo(expected); // duplicates allowed here
    }

    private Process sluice(String... args) throws IOException {
        return SluiceProcess.start(dir, null, args);
    }

    /** The ids in a table, checking there is exactly one row per id and each row is complete. */
    private static Set<Long> rows(String url, String query) throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                assertThat(ids.add(rs.getLong(1))).as("one row per id").isTrue();
                assertThat(rs.getLong(2)).isPositive();
            }
        }
        return ids;
    }

    private static List<Long> fileIds(Path dir) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    int i = line.indexOf("\"id\":");
                    ids.add(Long.parseLong(line.substring(i + 5, line.indexOf(',', i))));
                }
            }
        }
        return ids;
    }
}
