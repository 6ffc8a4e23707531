package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.broker.Broker;
import dev.sluice.broker.Brokers;
import dev.sluice.broker.Event;
import dev.sluice.broker.GroupDescription;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.kafka.server.LocalKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same pipeline file run by several {@code sluice run} processes on one Apache Kafka: they share the partitions
 * through Kafka's consumer group; one is killed with SIGKILL and the other takes its partitions over; a third joins
 * and the work spreads again. The upserting PostgreSQL table ends with exactly one row per event.
 */
class KafkaScaleOutIT {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final int EVENTS = 30_000;
    private static LocalKafka kafka;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private String table;

    @BeforeAll
    static void startKafka() {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        try (Connection c = DriverManager.getConnection(PG);
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void shouldSharePartitionsTakeOverFromAKilledProcessAndSpreadAgain() throws Exception {
        table = "scale_" + System.nanoTime();
        Path file = dir.resolve("scale.yaml");
        Files.writeString(file, """
                pipeline: scale
                broker: %s
                kafka:
                  consumer.session.timeout.ms: 6000
                  consumer.heartbeat.interval.ms: 1000
                topics:
                  orders: {partitions: 4, replication-factor: 1}
                sinks:
                  - name: pg
                    type: jdbc
                    from: orders
                    parallelism: 1
                    url: "%s"
                    table: %s
                    mode: upsert
                    key: [id]
                    steps:
                      - parse: json
                """.formatted(kafka.url(), PG, table));
        try (Broker broker = Brokers.open(kafka.url())) {
            broker.admin().createTopicIfMissing(NewTopic.of("orders", 4));
            Process a = sluice(file);
            Process b = sluice(file);
            awaitMembers(broker, 2, 2);

            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(broker));
            Thread.sleep(3_000);
            SluiceProcess.kill(a); // SIGKILL: no goodbye to the group; Kafka notices after the session timeout
            awaitMembers(broker, 1, 4);

            sluice(file);
            awaitMembers(broker, 2, 2);
            producing.get(2, TimeUnit.MINUTES);

            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> count() == EVENTS
                            && broker.admin().describeGroup("scale.pg").totalLag() == 0);
            assertThat(ids()).hasSize(EVENTS);
            assertThat(b.isAlive()).isTrue();
        }
    }

    private static void produce(Broker broker) {
        try (Producer producer = broker.producer()) {
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                producer.send("orders", Event.of("" + i, "{\"id\": " + i + ", \"amount\": " + (i % 97) + "}", i));
                if (i % 1_000 == 999) { // about 3,000 events a second, so the kill lands mid-stream
                    long due = start + TimeUnit.MILLISECONDS.toNanos(i / 3);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        sleep(TimeUnit.NANOSECONDS.toMillis(wait));
                    }
                }
            }
        }
    }

    /** Waits until the group has {@code members} members, each owning {@code each} partitions. */
    private static void awaitMembers(Broker broker, int members, int each) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    GroupDescription d;
                    try {
                        d = broker.admin().describeGroup("scale.pg");
                    } catch (RuntimeException e) {
                        return false; // the group does not exist yet
                    }
                    if (d.members().size() != members) {
                        return false;
                    }
                    for (String m : d.members()) {
                        long owned = d.partitions().stream()
                                .filter(p -> m.equals(p.owner()))
                                .count();
                        if (owned != each) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private Process sluice(Path file) throws IOException {
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                System.getProperty("sluice.jar"),
                "run",
                file.toString(),
                "--quiet");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(
                        dir.resolve("sluice-" + processes.size() + ".log").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private long count() throws Exception {
        try (Connection c = DriverManager.getConnection(PG);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // the sink has not created the table yet
        }
    }

    private Set<Long> ids() throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(PG);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
            while (rs.next()) {
                assertThat(ids.add(rs.getLong(1))).as("one row per id").isTrue();
            }
        }
        for (long i = 0; i < EVENTS; i++) {
            assertThat(ids).contains(i);
        }
        return ids;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
