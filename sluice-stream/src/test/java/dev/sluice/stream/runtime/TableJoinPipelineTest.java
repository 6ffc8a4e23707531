package dev.sluice.stream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Joins;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.PipelineSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream-table joins in running pipelines on the embedded broker. */
class TableJoinPipelineTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    EmbeddedBroker broker;

    @BeforeEach
    void open() {
        broker = EmbeddedBroker.open(dir.resolve("data"));
        // the table is written before the pipeline starts
        broker.admin().createTopic(new NewTopic("users", 2, Map.of("cleanup.policy", "compact")));
    }

    @AfterEach
    void close() {
        broker.close();
    }

    RuntimeOptions options() {
        return RuntimeOptions.defaults(dir).withConnectors(TestConnectors.all()).withBackoff(new Backoff(10, 100));
    }

    /** Orders joined with the users table, into "left" (every order) and "inner" (orders with a user). */
    private static PipelineSpec ordersWithUsers() {
        return Pipeline.named("p")
                .topic("users", 2, Map.of("cleanup.policy", "compact"))
                .topic("orders", 3)
                .topic("left", 1)
                .topic("inner", 1)
                .stage(
                        "with-user",
                        s -> s.from("orders")
                                .parse("json")
                                .join(Joins.table("users")
                                        .key("user")
                                        .time("ts")
                                        .fields("country")
                                        .prefix("user_"))
                                .to("left"))
                .stage(
                        "known-users",
                        s -> s.from("orders")
                                .parse("json")
                                .join(Joins.table("users")
                                        .key("user")
                                        .time("ts")
                                        .inner())
                                .to("inner"))
                .build();
    }

    @Test
    void shouldJoinEachEventWithTheRowValidAtItsEventTimeWhateverOrderTheyCameIn() {
        try (Producer producer = broker.producer()) {
            // the table's history, written before the run: u1 moved from PT to ES at 10:10; u3 was deleted at 10:05;
            // one change is not JSON and is skipped
            producer.send("users", row("u1", "{\"country\":\"PT\",\"plan\":\"free\"}", T0));
            producer.send("users", row("u2", "{\"country\":\"FR\"}", T0));
            producer.send("users", row("u3", "{\"country\":\"IT\"}", T0));
            producer.send("users", row("u1", "{\"country\":\"ES\",\"plan\":\"pro\"}", T0 + 10 * MINUTE));
            producer.send("users", new Event(utf8("u3"), null, List.of(), T0 + 5 * MINUTE));
            producer.send("users", row("u4", "not json", T0));
            producer.flush();
        }
        Map<String, Object[]> orders = new TreeMap<>();
        orders.put("o1", new Object[] {"u1", T0 + MINUTE, "PT"});
        orders.put("o2", new Object[] {"u1", T0 + 11 * MINUTE, "ES"});
        orders.put("o3", new Object[] {"u1", T0 + 5 * MINUTE, "PT"}); // out of order: still before the move
        orders.put("o4", new Object[] {"u2", T0 + 30 * MINUTE, "FR"});
        orders.put("o5", new Object[] {"u3", T0 + 2 * MINUTE, "IT"});
        orders.put("o6", new Object[] {"u3", T0 + 6 * MINUTE, null}); // after the deletion
        orders.put("o7", new Object[] {"u4", T0 + MINUTE, null}); // its row was not JSON
        orders.put("o8", new Object[] {"u9", T0 + MINUTE, null}); // no such user
        orders.put("o9", new Object[] {"u1", T0 - MINUTE, null}); // before u1 existed
        try (PipelineRun run = PipelineRun.start(ordersWithUsers(), broker, options());
                Producer producer = broker.producer()) {
            orders.forEach((id, o) -> producer.send(
                    "orders", Event.of(id, Json.writeString(Map.of("id", id, "user", o[0], "ts", o[1])), 0)));
            await().atMost(Duration.ofSeconds(30)).until(() -> readAll("left").size() == orders.size());
            Map<String, Map<String, Object>> left = byId(readAll("left"));
            orders.forEach((id, o) -> {
                assertThat(left.get(id)).as(id).containsEntry("user_country", o[2]);
                assertThat(left.get(id)).as(id).doesNotContainKey("user_plan"); // only the fields asked for
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> readAll("inner").size() == 5);
            Map<String, Map<String, Object>> inner = byId(readAll("inner"));
            assertThat(inner.keySet()).containsExactlyInAnyOrder("o1", "o2", "o3", "o4", "o5");
            assertThat(inner.get("o2")).containsEntry("country", "ES").containsEntry("plan", "pro");
            assertThat(run.metrics().get("with-user").deadLettered()).isZero();
        }
    }

    @Test
    void shouldFollowTheTableWhileRunning() {
        try (Producer producer = broker.producer()) {
            producer.send("users", row("u1", "{\"country\":\"PT\"}", T0));
            producer.flush();
        }
        try (PipelineRun run = PipelineRun.start(ordersWithUsers(), broker, options());
                Producer producer = broker.producer()) {
            producer.send("users", row("u1", "{\"country\":\"ES\"}", T0 + 10 * MINUTE));
            producer.flush();
            // the table is read on a thread of its own: orders sent after the change get it once it is read
            int[] sent = {0};
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        String id = "o" + sent[0]++;
                        producer.send(
                                "orders",
                                Event.of(
                                        id,
                                        Json.writeString(Map.of("id", id, "user", "u1", "ts", T0 + 20 * MINUTE)),
                                        0));
                        return byId(readAll("left")).values().stream()
                                .anyMatch(o -> "ES".equals(o.get("user_country")));
                    });
        }
    }

    @Test
    void shouldDeadLetterAnEventWithoutItsTimeFieldAndGoOn() {
        try (PipelineRun run = PipelineRun.start(ordersWithUsers(), broker, options());
                Producer producer = broker.producer()) {
            producer.send("orders", Event.of("a", "{\"id\":\"a\",\"user\":\"u1\"}", 0));
            producer.send("orders", Event.of("b", "{\"id\":\"b\",\"user\":\"u1\",\"ts\":1}", 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> readAll("left").size() == 1);
            List<ConsumedEvent> dlq = TopicReads.readAll(broker, "p.with-user.dlq");
            assertThat(dlq).hasSize(1);
            assertThat(TopicReads.header(dlq.get(0), DeadLetters.MESSAGE))
                    .contains("join time field 'ts'")
                    .contains("no timestamp");
        }
    }

    @Test
    void shouldNameATableTopicThatIsNotDeclared() {
        PipelineSpec spec = Pipeline.named("p")
                .topic("orders", 1)
                .topic("out", 1)
                .stage(
                        "s",
                        s -> s.from("orders")
                                .parse("json")
                                .join(Joins.table("userz"))
                                .to("out"))
                .build();
        assertThatThrownBy(() -> PipelineRun.start(spec, broker, options()))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("'join.table' names topic 'userz', which is not declared");
    }

    private static Event row(String key, String value, long timestamp) {
        return Event.of(key, value, timestamp);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<ConsumedEvent> readAll(String topic) {
        return TopicReads.readAll(broker, topic);
    }

    private static Map<String, Map<String, Object>> byId(List<ConsumedEvent> events) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (ConsumedEvent e : events) {
            Map<String, Object> fields = Json.parseObject(e.value());
            out.put((String) fields.get("id"), fields);
        }
        return out;
    }
}
