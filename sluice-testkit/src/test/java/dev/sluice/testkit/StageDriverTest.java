package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stream.KeyedProcess;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.state.KeyedContext;
import dev.sluice.stream.state.KeyedFunction;
import dev.sluice.stream.state.StateStores;
import dev.sluice.stream.state.ValueState;
import dev.sluice.stream.yaml.PipelineYaml;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageDriverTest {
    private static final String PIPELINE = """
            pipeline: views
            topics:
              clicks: {partitions: 4}
              views: {partitions: 1}
            stages:
              - name: per-minute
                from: clicks
                steps:
                  - parse: json
                  - window:
                      tumbling: 1m
                      by: page
                      time: ts
                      lateness: 30s
                      early: 10s
                      aggregate: {views: count()}
                to: views
            sinks:
              - name: table
                type: duckdb
                from: clicks
                path: out/views.duckdb
                table: views
                mode: upsert
                key: [page, window_start]
                steps:
                  - parse: json
                  - window: {tumbling: 1m, by: page, time: ts, aggregate: {views: count()}}
            """;

    @TempDir
    Path dir;

    @Test
    void shouldDriveEventTimeAndProcessingTimeWithoutWaiting() throws Exception {
        PipelineSpec spec = PipelineYaml.parse(PIPELINE, "views.yaml");
        long started = System.nanoTime();
        try (StageDriver d = StageDriver.of(spec, "per-minute", dir)) {
            d.pipe("u1", click("/a", "10:00:05"))
                    .pipe("u2", click("/a", "10:00:20"))
                    .pipe("u3", click("/b", "10:00:30"));
            assertThat(d.outputs()).isEmpty();

            d.advance(Duration.ofSeconds(10)); // processing time: the early results are due
            assertThat(results(d)).containsExactlyInAnyOrder("early /a 10:00 2", "early /b 10:00 1");

            d.pipe("u4", click("/a", "10:01:10")); // event time passes 10:01: the minute closes
            d.pipe("u5", click("/a", "10:00:50")); // 10 s behind, within the lateness: an update
            assertThat(results(d).subList(2, 5))
                    .containsExactlyInAnyOrder("final /a 10:00 2", "final /b 10:00 1", "update /a 10:00 3");

            d.pipe("u6", click("/c", "10:03:00")).pipe("u7", click("/a", "10:00:55")); // past the lateness
            assertThat(d.lateEvents())
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason())
                            .startsWith("late event: its event time 2026-11-26T10:00:55Z is behind the watermark"));

            d.pipe("u8", "{not json", 0);
            assertThat(d.deadLetters())
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason()).startsWith("not valid JSON"));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldWriteToTheStagesSinkAsARunWould() throws Exception {
        PipelineSpec spec = PipelineYaml.parse(PIPELINE, "views.yaml");
        try (StageDriver d = StageDriver.of(spec, "table", dir)) {
            d.pipe("u1", click("/a", "10:00:05"))
                    .pipe("u2", click("/a", "10:00:20"))
                    .pipe("u3", click("/b", "10:00:30"))
                    .pipe("u4", click("/b", "10:01:30"));
        }
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/views.duckdb"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT page, window_start, views FROM views ORDER BY page")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3));
            }
        }
        assertThat(rows).containsExactly("/a 2026-11-26T10:00:00Z 2", "/b 2026-11-26T10:00:00Z 1");
    }

    @Test
    void shouldNameTheStagesWhenAskedForOneThatIsNotThere() {
        PipelineSpec spec = PipelineYaml.parse(PIPELINE, "views.yaml");
        assertThatThrownBy(() -> StageDriver.of(spec, "per-hour", dir))
                .hasMessageContaining("no stage 'per-hour' in pipeline views; stages: [per-minute, table]");
    }

    @Test
    void shouldJoinWithTableRowsAsTheyWereAtEachEventsTime() throws Exception {
        PipelineSpec spec = PipelineYaml.parse("""
                pipeline: shop
                topics:
                  orders: {partitions: 1}
                  users: {partitions: 1, cleanup: compact}
                  out: {partitions: 1}
                stages:
                  - name: with-country
                    from: orders
                    steps:
                      - parse: json
                      - join: {table: users, key: user, time: ts, fields: [country], type: inner}
                    to: out
                """, "shop.yaml");
        try (StageDriver d = StageDriver.of(spec, "with-country", dir)) {
            d.putTableRow("users", "u1", Map.of("country", "PT"), Instant.parse("2026-11-26T10:00:00Z"));
            d.putTableRow("users", "u1", Map.of("country", "ES"), Instant.parse("2026-11-26T11:00:00Z"));
            d.pipe("o1", Map.of("user", "u1", "ts", "2026-11-26T10:30:00Z"));
            d.pipe("o2", Map.of("user", "u1", "ts", "2026-11-26T11:30:00Z"));
            d.pipe("o3", Map.of("user", "u2", "ts", "2026-11-26T11:30:00Z"));
            assertThat(d.outputs()).extracting(r -> r.fields().get("country")).containsExactly("PT", "ES");
            assertThatThrownBy(() -> d.putTableRow("user", "u1", Map.of(), Instant.EPOCH))
                    .hasMessageContaining("no join step of stage 'with-country' reads table 'user'; it reads [users]");
        }
    }

    @Test
    void shouldJoinTwoStreamsWithinTheirInterval() throws Exception {
        PipelineSpec spec = PipelineYaml.parse("""
                pipeline: shop
                topics:
                  orders: {partitions: 1}
                  payments: {partitions: 1}
                  out: {partitions: 1}
                stages:
                  - name: paid
                    from: orders
                    steps:
                      - parse: json
                      - join: {stream: payments, on: order_id, within: 10m, time: ts, as: payment}
                    to: out
                """, "shop.yaml");
        try (StageDriver d = StageDriver.of(spec, "paid", dir)) {
            d.pipe("c1", Map.of("order_id", "o1", "ts", "2026-11-26T10:00:00Z"));
            d.pipe("c2", Map.of("order_id", "o2", "ts", "2026-11-26T10:01:00Z"));
            d.pipeFrom("payments", "p1", Map.of("order_id", "o1", "ts", "2026-11-26T10:05:00Z"));
            d.pipeFrom("payments", "p2", Map.of("order_id", "o2", "ts", "2026-11-26T10:30:00Z")); // too late to match
            assertThat(d.outputs())
                    .extracting(r -> r.fields().get("order_id") + " "
                            + (r.fields().get("payment") instanceof Map<?, ?> p ? p.get("ts") : "null"))
                    .containsExactly(
                            "o1 2026-11-26T10:05:00Z", "o2 null"); // let go unmatched once event time passed 10:11
        }
    }

    /** Per user: a processing-time timer 10 s after the user's last event says the user went idle. */
    static final class IdleUsers implements KeyedFunction {
        private ValueState<Long> last;

        @Override
        public void open(StateStores stores) {
            last = stores.value("last", Long.class);
        }

        @Override
        public void onEvent(Map<String, Object> event, KeyedContext ctx) {
            if (last.value() != null) {
                ctx.timers().cancelProcessingTime(last.value() + 10_000);
            }
            last.update(ctx.processingTime());
            ctx.timers().atProcessingTime(ctx.processingTime() + 10_000);
        }

        @Override
        public void onTimer(long time, KeyedContext ctx) {
            ctx.emit(Map.of(
                    "user",
                    ctx.key(),
                    "idle_since",
                    Instant.ofEpochMilli(last.value()).toString()));
            last.clear();
        }
    }

    @Test
    void shouldFireProcessingTimeTimersOnlyWhenTheTestMovesTheClock() throws Exception {
        PipelineSpec spec = Pipeline.named("p")
                .topic("clicks", 1)
                .topic("idle", 1)
                .stage(
                        "idle-users",
                        s -> s.from("clicks")
                                .parse("json")
                                .process(KeyedProcess.of(IdleUsers::new).by("user"))
                                .to("idle"))
                .build();
        try (StageDriver d = StageDriver.of(spec, "idle-users", dir)) {
            d.pipe("a", Map.of("user", "u1"));
            d.advance(Duration.ofSeconds(5));
            d.pipe("a", Map.of("user", "u1")); // moves u1's timer to 15 s
            d.advance(Duration.ofSeconds(9));
            assertThat(d.outputs()).isEmpty();
            d.advance(Duration.ofSeconds(2));
            assertThat(d.outputs())
                    .extracting(r -> r.fields().get("user") + " " + r.fields().get("idle_since"))
                    .containsExactly("u1 2026-01-01T00:00:05Z");
        }
    }

    private static Map<String, Object> click(String page, String time) {
        return Map.of(
                "page", page, "ts", Instant.parse("2026-11-26T" + time + "Z").toString());
    }

    private static List<String> results(StageDriver d) {
        return d.outputs().stream()
                .map(r -> r.result() + " " + r.fields().get("page") + " "
                        + r.fields().get("window_start").toString().substring(11, 16) + " "
                        + r.fields().get("views"))
                .toList();
    }
}
