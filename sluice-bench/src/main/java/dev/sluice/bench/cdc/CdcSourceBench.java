package dev.sluice.bench.cdc;

import dev.sluice.bench.TempDirs;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.testkit.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code postgres-cdc} source catching up on changes: a private PostgreSQL ({@code wal_level=logical}) gets
 * {@code CHANGES} row changes of a 10-column table (two thirds inserts in transactions of 1,000 rows, one third updates)
 * while the pipeline is stopped; then the pipeline starts and reads them from its slot into a topic of the embedded
 * broker (4 partitions, keyed by id). Measured: changes stored per second, from the start of the pipeline to the last
 * change stored. For comparison, PostgreSQL's own {@code pg_recvlogical} reads the same changes from a second slot
 * (made at the same moment) into /dev/null: what the server can send, without any work on the events.
 *
 * <p>Run: {@code sluice-bench/run.sh cdc-source [CHANGES [ROUNDS]]}
 */
public final class CdcSourceBench {
    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 1_500_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf(
                "PostgreSQL CDC source, %,d row changes of a 10-column table (2/3 inserts, 1/3 updates)%n", changes);
        for (int round = 1; round <= rounds; round++) {
            Path dir = TempDirs.create("cdc-bench");
            try (LocalPostgres postgres = LocalPostgres.startLogical()) {
                run(postgres, dir, changes, round);
            } finally {
                TempDirs.delete(dir);
            }
        }
    }

    private static void run(LocalPostgres postgres, Path dir, int changes, int round) throws Exception {
        String url = postgres.jdbcUrl();
        sql(
                url,
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer int, status text, amount numeric(10,2),"
                        + " qty int, country text, created_at timestamptz, note text, paid boolean, score float8)");
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", url);
        source.put("tables", List.of("orders"));
        source.put("snapshot", "never");
        PipelineSpec spec = Pipeline.named("cdc-bench")
                .topic("changes", 4)
                .source("db", "postgres-cdc", "changes", source)
                .build();
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"))) {
            // a first run makes the publication and the slot, and stores its position after a first change
            try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
                while (stored(broker) == 0) {
                    sql(
                            url,
                            "INSERT INTO orders (id, qty) VALUES (0, 0) ON CONFLICT (id) DO UPDATE SET qty = orders.qty + 1");
                    Thread.sleep(200);
                }
                Thread.sleep(1_500); // the position is stored and confirmed
            }
            sql(url, "SELECT pg_create_logical_replication_slot('reference', 'pgoutput')");
            long before = stored(broker);
            long writeStart = System.nanoTime();
            int inserts = changes * 2 / 3;
            write(url, inserts, changes - inserts);
            double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
            String end = query(url, "SELECT pg_current_wal_lsn()");

            long start = System.nanoTime();
            try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (stored(broker) - before < changes && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long got = stored(broker) - before;
                double reference = recvlogical(postgres, end);
                System.out.printf(
                        "  round %d: %,10.0f changes/s stored (%,d of %,d in %.2f s); pg_recvlogical: %,10.0f changes/s"
                                + " (%.2f s); PostgreSQL wrote them in %.2f s%n",
                        round, got / seconds, got, changes, seconds, changes / reference, reference, writeSeconds);
            }
        }
    }

    private static void write(String url, int inserts, int updates) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (int from = 1; from <= inserts; from += 1_000) {
                int to = Math.min(inserts, from + 999);
                s.execute("INSERT INTO orders SELECT i, i % 5000, 'new', (i % 10000) / 100.0, i % 7, 'NL', now(),"
                        + " 'order ' || i, false, i * 0.5 FROM generate_series(" + from + ", " + to + ") i");
            }
            for (int from = 1; from <= updates; from += 1_000) {
                int to = Math.min(updates, from + 999);
                s.execute("UPDATE orders SET status = 'paid', paid = true WHERE id BETWEEN " + from + " AND " + to);
            }
        }
    }

    /** Seconds pg_recvlogical takes to read slot 'reference' up to {@code end} into /dev/null. */
    private static double recvlogical(LocalPostgres postgres, String end) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                postgres.binaries().resolve("pg_recvlogical").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(postgres.port()),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "--slot",
                "reference",
                "--start",
                "--no-loop",
                "-E",
                end,
                "-f",
                "/dev/null",
                "-o",
                "proto_version=1",
                "-o",
                "publication_names=sluice_cdc_bench_db"));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pg_recvlogical failed: " + out);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static long stored(EmbeddedBroker broker) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            partitions.add(new TopicPartition("changes", p));
        }
        return broker.admin().endOffsets(partitions).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String query(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(statement)) {
            r.next();
            return r.getString(1);
        }
    }
}
