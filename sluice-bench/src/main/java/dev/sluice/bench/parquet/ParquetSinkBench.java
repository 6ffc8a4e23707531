package dev.sluice.bench.parquet;

import dev.sluice.bench.TempDirs;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.connect.parquet.ParquetSink;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.TransactionalSink;
import dev.sluice.stream.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The Parquet sink on its own: 10-field events (as a stage reads them from a topic) written to zstd Parquet files,
 * in batches of 2,000, prepared and published (a commit) every 5 s as at the default checkpoint interval, or every so
 * many events, by one task. Two inputs: events already parsed (a
 * stage with steps hands the sink fields) and raw JSON (a sink reading a topic with no steps parses each event).
 *
 * <p>Run: {@code sluice-bench/run.sh parquet-sink [EVENTS [ROUNDS [INPUTS [COMMIT]]]]}, INPUTS {@code parsed,json} by
 * default, COMMIT {@code 5s} (a time) or a number of events
 */
public final class ParquetSinkBench {
    private static final int BATCH = 2_000;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> inputs = List.of((args.length > 2 ? args[2] : "parsed,json").split(","));
        String commit = args.length > 3 ? args[3] : "5s";
        long commitMs = commit.endsWith("s") ? Long.parseLong(commit.substring(0, commit.length() - 1)) * 1000 : 0;
        long commitEvents = commitMs > 0 ? Long.MAX_VALUE : Long.parseLong(commit);
        System.out.printf(
                "Parquet sink, %,d events of 10 fields, zstd, one task, a commit every %s, %d rounds%n",
                events, commitMs > 0 ? commit : commit + " events", rounds);
        for (String input : inputs) {
            if (!input.equals("parsed") && !input.equals("json")) {
                System.err.println("input '" + input + "': use parsed, json or parsed,json");
                System.exit(2);
            }
            for (int round = 0; round < rounds; round++) {
                Path dir = TempDirs.create("parquet-bench");
                try {
                    run(dir, events, input.equals("parsed"), round, commitMs, commitEvents);
                } finally {
                    TempDirs.delete(dir);
                }
            }
        }
    }

    private static void run(Path dir, int events, boolean parsed, int round, long commitMs, long commitEvents)
            throws Exception {
        ParquetSink connector = new ParquetSink();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("path", dir.toString());
        settings.put("compression", "zstd");
        Config config = Config.check("sink lake", settings, connector.keys(), null);
        List<List<StreamRecord>> batches = batches(events, parsed);
        long start = System.nanoTime();
        long committing = 0;
        try (TransactionalSink sink = connector.createExactlyOnce(
                config, new ConnectorContext("bench", "lake", "events", dir, Clock.systemUTC(), 0, null))) {
            sink.open();
            long sinceCommit = 0;
            long lastCommit = System.nanoTime();
            for (List<StreamRecord> batch : batches) {
                sink.write(batch);
                sinceCommit += batch.size();
                if (sinceCommit >= commitEvents
                        || (commitMs > 0 && System.nanoTime() - lastCommit >= commitMs * 1_000_000)) {
                    long p = System.nanoTime();
                    sink.prepare();
                    sink.publish();
                    committing += System.nanoTime() - p;
                    sinceCommit = 0;
                    lastCommit = System.nanoTime();
                }
            }
            long p = System.nanoTime();
            sink.prepare();
            sink.publish();
            committing += System.nanoTime() - p;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes;
        long files;
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.filter(Files::isRegularFile).toList();
            files = all.size();
            bytes = all.stream().mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf(
                "  %-6s round %d: %,10.0f events/s  (%.2f s, %.2f s of it writing files at commits, %d files, %,d bytes ="
                        + " %.1f bytes/event)%n",
                parsed ? "parsed" : "json",
                round + 1,
                events / seconds,
                seconds,
                committing / 1e9,
                files,
                bytes,
                (double) bytes / events);
    }

    /**
     * Batches of events of 10 fields (ids, a user, a country, amounts, a flag, a time, a page, a campaign), made from a
     * pool of 100,000 distinct ones so that the benchmark does not hold gigabytes of events (the garbage collector
     * would compete with the sink for the two cores).
     */
    private static List<List<StreamRecord>> batches(int events, boolean parsed) {
        Random random = new Random(7);
        String[] countries = {"NL", "DE", "FR", "US", "GB", "IN", "BR", "JP"};
        int poolSize = 100_000;
        List<Map<String, Object>> fields = new ArrayList<>(poolSize);
        List<byte[]> json = new ArrayList<>(poolSize);
        long t0 = 1_795_611_600_000L;
        for (int i = 0; i < poolSize; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("id", (long) i);
            f.put("user", "user-" + random.nextInt(100_000));
            f.put("country", countries[random.nextInt(countries.length)]);
            f.put("amount", Math.round(random.nextDouble() * 10_000) / 100.0);
            f.put("quantity", (long) random.nextInt(10));
            f.put("paid", random.nextBoolean());
            f.put("at", t0 + i);
            f.put("page", "/products/" + random.nextInt(5_000));
            f.put("campaign", "c" + random.nextInt(50));
            f.put("score", random.nextGaussian());
            fields.add(f);
            json.add(Json.write(f));
        }
        List<List<StreamRecord>> out = new ArrayList<>();
        for (int start = 0; start < events; start += BATCH) {
            List<StreamRecord> batch = new ArrayList<>(BATCH);
            for (int i = start; i < Math.min(events, start + BATCH); i++) {
                StreamRecord r = StreamRecord.of(
                        new ConsumedEvent("events", 0, i, t0 + i, null, json.get(i % poolSize), List.of()));
                if (parsed) {
                    r.value(fields.get(i % poolSize));
                }
                batch.add(r);
            }
            out.add(batch);
        }
        return out;
    }
}
