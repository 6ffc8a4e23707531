package dev.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.yaml.PipelineYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole pipelines on the embedded broker against real things: the local PostgreSQL, a DuckDB file, and files. N events
 * in, exactly the expected rows out; and the Java DSL and the YAML form of one pipeline give the same output.
 */
class EndToEndIT {
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

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    @Test
    void shouldDeliverExactlyTheExpectedRowsToPostgresDuckDbAndFiles() throws Exception {
        String table = "e2e_orders_" + System.nanoTime();
        createdTables.add(table);
        String yaml = """
                pipeline: shop
                topics:
                  orders: {partitions: 3}
                  valid: {partitions: 3}
                sources:
                  - name: gen
                    type: generator
                    to: orders
                    count: 3000
                    key: id
                    fields:
                      id: sequence
                      amount: {int: [-20, 100]}
                      status: {one-of: [new, paid, shipped]}
                stages:
                  - name: tidy
                    from: orders
                    steps:
                      - parse: json
                      - filter: "event.amount > 0"
                      - map: {cents: "event.amount * 100"}
                    to: valid
                sinks:
                  - {name: pg, type: jdbc, from: valid, url: "%s", table: %s, mode: upsert, key: [id]}
                  - {name: duck, type: duckdb, from: valid, path: out/shop.duckdb, table: orders, mode: upsert, key: [id]}
                  - {name: files, type: file, from: valid, path: out/files}
                """.formatted(PG, table);
        Files.writeString(dir.resolve("shop.yaml"), yaml);
        PipelineSpec spec = PipelineYaml.load(dir.resolve("shop.yaml"));
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"));
                PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
            assertThat(run.awaitIdle(Duration.ofSeconds(60)))
                    .as(String.valueOf(run.failure()))
                    .isTrue();
        }
        Set<Long> expected = expectedIds(3000);
        assertThat(ids("SELECT id, cents FROM " + table, PG)).isEqualTo(expected);
        assertThat(ids("SELECT id, cents FROM orders", "jdbc:duckdb:" + dir.resolve("out/shop.duckdb")))
                .isEqualTo(expected);
        List<Map<String, Object>> lines = fileLines(dir.resolve("out/files"));
        assertThat(lines).hasSize(expected.size());
        assertThat(lines.stream().map(m -> ((Number) m.get("id")).longValue()).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldGiveTheSameOutputFromTheJavaDslAndFromYaml() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), """
                pipeline: same
                topics:
                  in: {partitions: 2}
                  out: {partitions: 1}
                sources:
                  - {name: gen, type: generator, to: in, count: 500, seed: 7, fields: {n: sequence, v: {int: [0, 9]}}}
                stages:
                  - name: s
                    from: in
                    steps:
                      - parse: json
                      - filter: "event.v % 2 == 0"
                      - map: {half: "event.v / 2"}
                      - drop: [v]
                    to: out
                sinks:
                  - {name: f, type: file, from: out, path: yaml-out}
                """);
        PipelineSpec fromYaml = PipelineYaml.load(dir.resolve("p.yaml"));
        PipelineSpec fromDsl = Pipeline.named("same")
                .topic("in", 2)
                .topic("out", 1)
                .source(
                        "gen",
                        "generator",
                        "in",
                        Map.of(
                                "count",
                                500,
                                "seed",
                                7,
                                "fields",
                                Map.of("n", "sequence", "v", Map.of("int", List.of(0, 9)))))
                .stage(
                        "s",
                        st -> st.from("in")
                                .parse("json")
                                .filter("event.v % 2 == 0")
                                .map(Map.of("half", "event.v / 2"))
                                .drop("v")
                                .to("out"))
                .sink("f", "file", Map.of("path", "dsl-out"), sk -> sk.from("out"))
                .build();
        run(fromYaml, "yaml-data");
        run(fromDsl, "dsl-data");
        List<Map<String, Object>> yamlOut = fileLines(dir.resolve("yaml-out"));
        List<Map<String, Object>> dslOut = fileLines(dir.resolve("dsl-out"));
        assertThat(yamlOut).isNotEmpty().containsExactlyInAnyOrderElementsOf(dslOut);
        assertThat(yamlOut).allSatisfy(m -> assertThat(m).containsOnlyKeys("n", "half"));
    }

    @Test
    void shouldEnrichFromAPostgresTable() throws Exception {
        String users = "e2e_users_" + System.nanoTime();
        createdTables.add(users);
        try (Connection c = DriverManager.getConnection(PG);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + users + " (id BIGINT PRIMARY KEY, country TEXT)");
            s.execute("INSERT INTO " + users + " VALUES (1, 'PT'), (2, 'DE')");
        }
        PipelineSpec spec = Pipeline.named("lookup")
                .topic("in", 1)
                .source(
                        "gen",
                        "generator",
                        "in",
                        Map.of("count", 100, "fields", Map.of("n", "sequence", "user", Map.of("int", List.of(1, 2)))))
                .sink(
                        "f",
                        "file",
                        Map.of("path", "enriched"),
                        s -> s.from("in")
                                .parse("json")
                                .enrich(Map.of(
                                        "jdbc",
                                        PG,
                                        "query",
                                        "select id, country from " + users,
                                        "key",
                                        "user",
                                        "on",
                                        "id",
                                        "fields",
                                        List.of("country"))))
                .build();
        run(spec, "lookup-data");
        List<Map<String, Object>> out = fileLines(dir.resolve("enriched"));
        assertThat(out)
                .hasSize(100)
                .allSatisfy(m ->
                        assertThat(m.get("country")).isEqualTo(((Number) m.get("user")).intValue() == 1 ? "PT" : "DE"));
    }

    private void run(PipelineSpec spec, String data) throws InterruptedException {
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve(data));
                PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
            assertThat(run.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
    }

    /** The ids the generator makes with a positive amount: recomputed with the generator itself. */
    private static Set<Long> expectedIds(int count) {
        Set<Long> ids = new HashSet<>();
        var gen = new dev.sluice.connect.generator.GeneratorSource();
        var spec = Pipeline.named("x")
                .topic("t", 1)
                .source(
                        "g",
                        "generator",
                        "t",
                        Map.of(
                                "count",
                                count,
                                "key",
                                "id",
                                "fields",
                                Map.of(
                                        "id",
                                        "sequence",
                                        "amount",
                                        Map.of("int", List.of(-20, 100)),
                                        "status",
                                        Map.of("one-of", List.of("new", "paid", "shipped")))))
                .build();
        var config = dev.sluice.stream.connector.Config.check(
                "g",
                spec.sources().get(0).config(),
                gen.keys(),
                spec.sources().get(0).location());
        var source = gen.create(
                config,
                new dev.sluice.stream.connector.ConnectorContext(
                        "x", "g", "t", Path.of("."), java.time.Clock.systemUTC(), 0, null));
        try {
            source.open(null);
            for (var batch = source.poll(Duration.ofSeconds(1));
                    batch != null;
                    batch = source.poll(Duration.ofSeconds(1))) {
                for (var e : batch.events()) {
                    Map<String, Object> m = Json.parseObject(e.value());
                    if (((Number) m.get("amount")).longValue() > 0) {
                        ids.add(((Number) m.get("id")).longValue());
                    }
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return ids;
    }

    private static Set<Long> ids(String query, String url) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
                assertThat(rs.getDouble(2)).isPositive();
            }
        }
        return ids;
    }

    static List<Map<String, Object>> fileLines(Path dir) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.add(Json.parseObject(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }
}
