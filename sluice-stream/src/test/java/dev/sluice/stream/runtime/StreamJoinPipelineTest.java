package dev.sluice.stream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Event;
import dev.sluice.broker.KeyPartitioner;
import dev.sluice.broker.Producer;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Joins;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.connector.Backoff;
import dev.sluice.stream.json.Json;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.PipelineSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream-stream joins in running pipelines on the embedded broker. */
class StreamJoinPipelineTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    EmbeddedBroker broker;

    @BeforeEach
    void open() {
        broker = EmbeddedBroker.open(dir.resolve("data"));
    }

    @AfterEach
    void close() {
        broker.close();
    }

    RuntimeOptions options() {
        return RuntimeOptions.defaults(dir).withConnectors(TestConnectors.all()).withBackoff(new Backoff(10, 100));
    }

    /** Orders (3 partitions, keyed by customer) with their payments (2 partitions, keyed by payment) within 10 min. */
    private static PipelineSpec paidOrders(Joins join) {
        return Pipeline.named("p")
                .topic("orders", 3)
                .topic("payments", 2)
                .topic("paid", 1)
                .stage(
                        "paid-orders",
                        s -> s.from("orders").parse("json").join(join).to("paid"))
                .build();
    }

    private static Joins paymentsWithin10Minutes() {
        return Joins.stream("payments")
                .on("order_id")
                .within("10m")
                .time("ts")
                .outOfOrder("1m")
                .idleTimeout("3s")
                .as("payment");
    }

    @Test
    void shouldGiveThePairsAndUnmatchedOrdersANestedLoopOverTheSameEventsGives() {
        Random random = new Random(11);
        List<Map<String, Object>> orders = new ArrayList<>();
        List<Map<String, Object>> payments = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long ts = T0 + i * 10_000L;
            orders.add(Map.of("order_id", "o" + i, "customer", "c" + random.nextInt(20), "ts", ts));
            int paid = random.nextInt(10) < 7 ? 1 + random.nextInt(2) : 0; // some twice, some never
            for (int j = 0; j < paid; j++) {
                // from 5 minutes before to 15 after: a third of them too late to match
                long at = ts + random.nextInt((int) (20 * MINUTE)) - 5 * MINUTE;
                payments.add(Map.of("payment_id", "pay" + i + "-" + j, "order_id", "o" + i, "ts", at));
            }
        }
        List<String> expected = new ArrayList<>();
        for (Map<String, Object> o : orders) {
            boolean matched = false;
            for (Map<String, Object> p : payments) {
                if (p.get("order_id").equals(o.get("order_id"))
                        && Math.abs((Long) p.get("ts") - (Long) o.get("ts")) <= 10 * MINUTE) {
                    expected.add(o.get("order_id") + "+" + p.get("payment_id"));
                    matched = true;
                }
            }
            if (!matched) {
                expected.add(o.get("order_id") + "+null");
            }
        }
        // both streams flow together, as they would in production: sent in event-time order, up to 30 s apart
        List<Object[]> sends = new ArrayList<>();
        orders.forEach(o -> sends.add(new Object[] {"orders", o.get("customer"), o}));
        payments.forEach(p -> sends.add(new Object[] {"payments", p.get("payment_id"), p}));
        sends.sort(Comparator.comparingLong(
                s -> (Long) ((Map<?, ?>) s[2]).get("ts") + new Random(s[1].hashCode()).nextInt(30_000)));
        try (PipelineRun run = PipelineRun.start(paidOrders(paymentsWithin10Minutes()), broker, options());
                Producer producer = broker.producer()) {
            for (Object[] s : sends) {
                producer.send((String) s[0], Event.of((String) s[1], Json.writeString(s[2]), 0));
            }
            // one order far ahead in every by-key partition: once the inputs go idle, event time passes every order
            for (int b = 0; b < 3; b++) {
                producer.send(
                        "orders",
                        Event.of(
                                "end",
                                Json.writeString(Map.of(
                                        "order_id", KeyPartitioner.keyFor("end-", b, 3), "ts", T0 + 24 * 60 * MINUTE)),
                                0));
            }
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> readAll("paid").size() >= expected.size());
            List<String> got = new ArrayList<>();
            for (ConsumedEvent e : readAll("paid")) {
                Map<String, Object> f = Json.parseObject(e.value());
                Map<?, ?> payment = (Map<?, ?>) f.get("payment");
                got.add(f.get("order_id") + "+" + (payment == null ? "null" : payment.get("payment_id")));
                assertThat(f).containsKey("customer"); // the order's own fields stay
            }
            assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(run.metrics().get("paid-orders").late()).isZero();

            // a payment far behind event time now goes to the late-events topic with its reason
            producer.send(
                    "payments", Event.of("x", "{\"payment_id\":\"late\",\"order_id\":\"o1\",\"ts\":" + T0 + "}", 0));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !readAll("p.paid-orders.late").isEmpty());
            assertThat(TopicReads.header(readAll("p.paid-orders.late").get(0), DeadLetters.MESSAGE))
                    .contains("is behind the watermark");
        }
    }

    @Test
    void shouldKeepOnlyMatchesInAnInnerJoin() {
        try (PipelineRun run =
                        PipelineRun.start(paidOrders(paymentsWithin10Minutes().inner()), broker, options());
                Producer producer = broker.producer()) {
            producer.send("orders", Event.of("c1", order("o1", T0), 0));
            producer.send("orders", Event.of("c1", order("o2", T0), 0));
            producer.send(
                    "payments", Event.of("p1", "{\"payment_id\":\"p1\",\"order_id\":\"o1\",\"ts\":" + T0 + "}", 0));
            for (int b = 0; b < 3; b++) {
                producer.send(
                        "orders", Event.of("end", order(KeyPartitioner.keyFor("end-", b, 3), T0 + 60 * MINUTE), 0));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !readAll("paid").isEmpty());
            // o2 is let go once event time passes it (the inputs go idle), and nothing comes out for it
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> run.queryState("paid-orders", "o2", Duration.ofSeconds(5))
                            .isEmpty());
            assertThat(readAll("paid")).hasSize(1);
            assertThat(Json.parseObject(readAll("paid").get(0).value())).containsEntry("order_id", "o1");
        }
    }

    @Test
    void shouldDeadLetterAPaymentWithoutTheJoinFieldAndGoOn() {
        try (PipelineRun run = PipelineRun.start(paidOrders(paymentsWithin10Minutes()), broker, options());
                Producer producer = broker.producer()) {
            producer.send("payments", Event.of("p0", "{\"payment_id\":\"p0\",\"ts\":" + T0 + "}", 0));
            producer.send("orders", Event.of("c1", order("o1", T0), 0));
            producer.send(
                    "payments", Event.of("p1", "{\"payment_id\":\"p1\",\"order_id\":\"o1\",\"ts\":" + T0 + "}", 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> !readAll("paid").isEmpty());
            List<ConsumedEvent> dlq = readAll("p.paid-orders.partition-payments.dlq");
            assertThat(dlq).hasSize(1);
            assertThat(TopicReads.header(dlq.get(0), DeadLetters.MESSAGE)).contains("'order_id' is missing");
        }
    }

    @Test
    void shouldRefuseAJoinOfAStreamWithItselfOrWithAnUndeclaredTopic() {
        assertThatThrownBy(() -> PipelineRun.start(
                        paidOrders(Joins.stream("orders").on("order_id").within("1m")), broker, options()))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("reads 'orders' and joins it with itself");
        assertThatThrownBy(() -> PipelineRun.start(
                        paidOrders(Joins.stream("paymentz").on("order_id").within("1m")), broker, options()))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("'join.stream' names topic 'paymentz', which is not declared")
                .hasMessageContaining("Did you mean 'payments'?");
    }

    private static String order(String id, long ts) {
        return Json.writeString(Map.of("order_id", id, "customer", "c1", "ts", ts));
    }

    private List<ConsumedEvent> readAll(String topic) {
        return TopicReads.readAll(broker, topic);
    }
}
