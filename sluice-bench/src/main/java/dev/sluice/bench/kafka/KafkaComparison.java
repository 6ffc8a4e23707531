package dev.sluice.bench.kafka;

import dev.sluice.kafka.server.LocalKafka;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Runs the same workloads on Apache Kafka 4.4 (a single KRaft broker in a child JVM on 127.0.0.1) and on Sluice's
 * embedded broker, one after the other on this machine, and prints them side by side with their ratio.
 *
 * <p>Workloads: produce N values as fast as possible (acks=1 vs flush.policy=os; and with every write fsynced:
 * Kafka's flush.messages=1 vs flush.policy=always), consume them back, and end-to-end latency (send to poll) at fixed
 * rates. Usage: {@code KafkaComparison [--records N] [--value-bytes B] [--partitions P] [--rates 10000,100000]
 * [--seconds S]}.
 */
public final class KafkaComparison {
    record Row(String workload, String unit, double kafka, double sluice, boolean higherIsBetter) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        long records = Long.parseLong(opts.getOrDefault("records", "3000000"));
        int valueBytes = Integer.parseInt(opts.getOrDefault("value-bytes", "100"));
        int partitions = Integer.parseInt(opts.getOrDefault("partitions", "1"));
        long fsyncRecords = Math.min(records, Long.parseLong(opts.getOrDefault("fsync-records", "1000000")));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
        List<Integer> rates = new ArrayList<>();
        for (String r : opts.getOrDefault("rates", "10000,100000").split(",")) {
            rates.add(Integer.parseInt(r.trim()));
        }
        PrintStream out = System.out;
        out.printf(
                "Apache Kafka 4.4 vs Sluice embedded on %d cores, %s: %,d values of %d B, %d partition(s)%n",
                Runtime.getRuntime().availableProcessors(), LocalDate.now(), records, valueBytes, partitions);

        Map<String, double[]> kafka;
        out.println("starting Kafka ...");
        try (LocalKafka broker = LocalKafka.startForBenchmarks("1g");
                KafkaSide side = new KafkaSide(broker)) {
            out.println("Kafka is up (pid " + broker.pid() + ", " + broker.bootstrapServers() + ")");
            kafka = runAll(side, records, fsyncRecords, valueBytes, partitions, rates, seconds, out);
        }
        Map<String, double[]> sluice;
        try (SluiceSide side = new SluiceSide()) {
            sluice = runAll(side, records, fsyncRecords, valueBytes, partitions, rates, seconds, out);
        }

        List<Row> rows = new ArrayList<>();
        rows.add(new Row(
                "produce (acks=1 / flush.policy=os)",
                "M records/s",
                kafka.get("produce")[0] / 1e6,
                sluice.get("produce")[0] / 1e6,
                true));
        rows.add(new Row(
                "produce, every write fsynced",
                "M records/s",
                kafka.get("produce-fsync")[0] / 1e6,
                sluice.get("produce-fsync")[0] / 1e6,
                true));
        rows.add(new Row(
                "consume from the start",
                "M records/s",
                kafka.get("consume")[0] / 1e6,
                sluice.get("consume")[0] / 1e6,
                true));
        for (int rate : rates) {
            double[] k = kafka.get("e2e-" + rate);
            double[] s = sluice.get("e2e-" + rate);
            rows.add(new Row("end-to-end p50 at " + String.format("%,d", rate) + "/s", "ms", k[0], s[0], false));
            rows.add(new Row("end-to-end p99 at " + String.format("%,d", rate) + "/s", "ms", k[1], s[1], false));
            rows.add(new Row("end-to-end p99.9 at " + String.format("%,d", rate) + "/s", "ms", k[2], s[2], false));
        }
        out.println();
        out.printf("%-42s %14s %14s %10s%n", "workload", "Kafka 4.4", "Sluice", "Sluice is");
        for (Row r : rows) {
            double ratio = r.higherIsBetter() ? r.sluice() / r.kafka() : r.kafka() / r.sluice();
            out.printf(
                    "%-42s %9.3f %-4s %9.3f %-4s %8.1fx%n",
                    r.workload(), r.kafka(), shortUnit(r.unit()), r.sluice(), shortUnit(r.unit()), ratio);
        }
        out.println("(ratios: how many times faster Sluice is; for latency, Kafka's time divided by Sluice's)");
    }

    private static Map<String, double[]> runAll(
            Side side,
            long records,
            long fsyncRecords,
            int valueBytes,
            int partitions,
            List<Integer> rates,
            int seconds,
            PrintStream out)
            throws Exception {
        Map<String, double[]> results = new LinkedHashMap<>();
        side.createTopic("throughput", partitions, false);
        side.produce("throughput", Math.min(records, 500_000), valueBytes); // warm-up: JIT and page cache
        side.createTopic("throughput-2", partitions, false);
        double produce = side.produce("throughput-2", records, valueBytes);
        out.printf("%s: produce %.2f M records/s%n", side.name(), produce / 1e6);
        results.put("produce", new double[] {produce});
        double consume = side.consume("throughput-2", partitions, records);
        out.printf("%s: consume %.2f M records/s%n", side.name(), consume / 1e6);
        results.put("consume", new double[] {consume});
        side.createTopic("fsync", partitions, true);
        double fsync = side.produce("fsync", fsyncRecords, valueBytes);
        out.printf("%s: produce with fsync %.3f M records/s%n", side.name(), fsync / 1e6);
        results.put("produce-fsync", new double[] {fsync});
        for (int rate : rates) {
            side.createTopic("latency-" + rate, partitions, false);
            Histogram h = side.endToEnd("latency-" + rate, partitions, rate, seconds, valueBytes);
            double[] p = {
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6
            };
            out.printf(
                    "%s: end-to-end at %,d/s: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms%n",
                    side.name(), rate, p[0], p[1], p[2]);
            results.put("e2e-" + rate, p);
        }
        return results;
    }

    private static String shortUnit(String unit) {
        return unit.equals("ms") ? "ms" : "M/s";
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }
}
