package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.Event;
import dev.sluice.broker.KeyPartitioner;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A left join of orders with their payments into PostgreSQL, its process killed with SIGKILL at ten random moments and
 * restarted each time: the table ends up with exactly the pairs (and unmatched orders) a nested loop over the same
 * events gives — no pair lost, and no order reported unmatched that had a match.
 */
@ExtendWith(CpuHog.Beside.class)
class JoinKillIT {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final int ORDERS = 40_000;
    private static final long MINUTE = 60_000;

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
    void shouldEndWithTheNestedLoopResultAfterTenKills() throws Exception {
        String table = "paid_kill_" + System.nanoTime();
        createdTables.add(table);
        Set<String> expected = load();
        Files.writeString(dir.resolve("paid.yaml"), """
                pipeline: paid
                broker: embedded:data
                topics:
                  orders: {partitions: 3}
                  payments: {partitions: 2}
                sinks:
                  - name: pg
                    type: jdbc
                    from: orders
                    url: "%s"
                    table: %s
                    mode: upsert
                    key: [order_id, payment_id]
                    steps:
                      - parse: json
                      - join: {stream: payments, on: order_id, within: 10m, time: ts, out-of-order: 1m, idle-timeout: 10s, as: payment}
                      - map: {payment_id: "event.payment == null ? 'none' : event.payment.payment_id"}
                      - drop: [payment]
                """.formatted(PG, table));

        Random random = new Random(42);
        for (int kill = 0; kill < 10; kill++) {
            Process p = sluice("run", "paid.yaml", "--quiet", "--checkpoint-interval", "300ms");
            Thread.sleep(1_500 + random.nextInt(2_500));
            SluiceProcess.kill(p); // SIGKILL
        }
        Process last = sluice("run", "paid.yaml", "--checkpoint-interval", "300ms");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while (!rows(table).containsAll(expected) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
        } finally {
            last.destroyForcibly();
            last.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(count("paid.pg.late")).as("late events").isZero();
        assertThat(count("paid.pg.dlq")).as("dead letters").isZero();
        assertThat(rows(table)).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Writes the orders (keyed by customer) and payments (keyed by payment: on other partitions than their orders),
     * with an order far ahead in every by-key partition to move event time past the rest; returns the rows the join
     * must give: {@code order_id/payment_id}, or {@code order_id/none} for an order with no payment within 10 min.
     */
    private Set<String> load() {
        Random random = new Random(5);
        long t0 = 1_795_600_000_000L;
        Set<String> expected = new TreeSet<>();
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"))) {
            broker.admin().createTopic(new NewTopic("orders", 3, Map.of()));
            broker.admin().createTopic(new NewTopic("payments", 2, Map.of()));
            try (Producer producer = broker.producer()) {
                List<Object[]> sends = new ArrayList<>();
                for (int i = 0; i < ORDERS; i++) {
                    long ts = t0 + i * 1_000L;
                    String id = "o" + i;
                    sends.add(new Object[] {"orders", "c" + random.nextInt(500), ts, Map.of("order_id", id, "ts", ts)});
                    boolean matched = false;
                    int payments = random.nextInt(10) < 7 ? 1 + random.nextInt(2) : 0;
                    for (int j = 0; j < payments; j++) {
                        long at = ts + random.nextInt((int) (20 * MINUTE)) - 5 * MINUTE;
                        String pay = id + "-" + j;
                        sends.add(new Object[] {"payments", pay, at, Map.of("order_id", id, "payment_id", pay, "ts", at)
                        });
                        if (Math.abs(at - ts) <= 10 * MINUTE) {
                            expected.add(id + "/" + pay);
                            matched = true;
                        }
                    }
                    if (!matched) {
                        expected.add(id + "/none");
                    }
                }
                // sent roughly in event-time order, as two live streams would be
                sends.sort((a, b) -> Long.compare((Long) a[2], (Long) b[2]));
                for (Object[] s : sends) {
                    producer.send((String) s[0], Event.of((String) s[1], Json.writeString(s[3]), 0));
                }
                for (int b = 0; b < 3; b++) {
                    String id = KeyPartitioner.keyFor("end-", b, 3);
                    producer.send(
                            "orders",
                            Event.of(
                                    "end",
                                    Json.writeString(Map.of("order_id", id, "ts", t0 + 1_000 * MINUTE * 60)),
                                    0));
                }
                producer.flush();
            }
        }
        return expected;
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

    /** The table's rows as {@code order_id/payment_id}. */
    private static Set<String> rows(String table) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(PG);
                Statement s = c.createStatement()) {
            ResultSet exists = s.executeQuery("SELECT to_regclass('" + table + "')");
            exists.next();
            if (exists.getString(1) == null) {
                return out;
            }
            try (ResultSet rs = s.executeQuery("SELECT order_id, payment_id FROM " + table)) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "/" + rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The processes' output, kept after the test (target/join-kill-logs). */
    private static Path logs() throws IOException {
        return Files.createDirectories(Path.of("target", "join-kill-logs").toAbsolutePath());
    }

    private Process sluice(String... args) throws IOException {
        return SluiceProcess.start(dir, logs().resolve("sluice-" + System.nanoTime() + ".log"), args);
    }
}
