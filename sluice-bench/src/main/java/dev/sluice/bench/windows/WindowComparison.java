package dev.sluice.bench.windows;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same windowed aggregation (tumbling one-minute event-time windows, count per key, five seconds of allowed
 * out-of-orderness) in Sluice, Apache Flink and Kafka Streams, in this JVM, over the same generated input. Each round
 * runs every engine once and prints its rate (input events per second of its timed part); the end prints the medians,
 * the ratios Sluice/Flink and Sluice/Kafka Streams, and that every engine produced exactly the results computed from
 * the input (one per key and closed window, and the same total of counts). A mismatch stops the run with exit code 1.
 *
 * <p>Before the rounds, every engine runs once over the first million events (or all of them if fewer), a warm-up
 * that is printed but not counted.
 *
 * <p>Arguments: {@code [EVENTS [KEYS [ROUNDS]]]}, defaults 10,000,000, 1,000,000 and 3. System properties:
 * {@code flink.parallelism} (window tasks of the Flink job, default 1), {@code windows.perMinute} (events per minute
 * of event time, default 1,000,000, or a tenth of the events when there are fewer than 10 million, so that about ten
 * windows close), {@code windows.seed} (default 42), {@code windows.warmup} (events of the warm-up, 0 for none),
 * {@code windows.engines} (default {@code sluice,flink,streams}; {@code sluice2} runs Sluice as two tasks) and {@code windows.streams.emit} (how Kafka Streams
 * emits final results: {@code on-window-close}, the default, or {@code suppress}; see {@link KafkaStreamsWindows.Emit}).
 */
public final class WindowComparison {
    private WindowComparison() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 10_000_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long perMinute = Long.getLong("windows.perMinute", Math.min(1_000_000, Math.max(1, events / 10)));
        long seed = Long.getLong("windows.seed", 42);
        int warmup = Integer.getInteger("windows.warmup", Math.min(events, 1_000_000));
        List<String> chosen = Arrays.asList(
                System.getProperty("windows.engines", "sluice,flink,streams").split(","));

        WindowEvents input = WindowEvents.generate(events, keys, perMinute, seed);
        WindowTally expected = input.expected();
        printSetup(input, seed, expected);

        List<WindowEngine> engines = engines(chosen);
        try {
            engines.forEach(e -> System.out.printf("  %-13s %s%n", e.name(), e.describe()));
            if (warmup > 0) {
                WindowEvents prefix = input.first(warmup);
                round(
                        String.format("warm-up (first %,d events, not counted):", warmup),
                        engines,
                        prefix,
                        new HashMap<>());
            }
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                round("round " + round + ":", engines, input, rates);
            }
            printSummary(rates, expected, engines.size());
        } finally {
            for (WindowEngine engine : engines) {
                engine.close();
            }
        }
    }

    /** Runs every engine once over {@code input}, checks its results, prints and collects its rate. */
    private static void round(
            String label, List<WindowEngine> engines, WindowEvents input, Map<String, List<Double>> rates)
            throws Exception {
        WindowTally expected = input.expected();
        StringBuilder line = new StringBuilder(label);
        for (WindowEngine engine : engines) {
            System.gc();
            WindowEngine.Run run = engine.run(input);
            check(engine, run.tally(), expected);
            double rate = run.eventsPerSecond(input.size());
            rates.computeIfAbsent(engine.name(), n -> new ArrayList<>()).add(rate);
            line.append(String.format("  %s %,.0f events/s (%.2f s)", engine.name(), rate, run.nanos() / 1e9));
        }
        System.out.println(line);
    }

    private static List<WindowEngine> engines(List<String> chosen) throws Exception {
        List<WindowEngine> engines = new ArrayList<>();
        for (String name : chosen) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "sluice" -> engines.add(new SluiceWindows(1));
                case "sluice2" -> engines.add(new SluiceWindows(2));
                case "flink" -> engines.add(new FlinkWindows(Integer.getInteger("flink.parallelism", 1)));
                case "streams" -> engines.add(new KafkaStreamsWindows(streamsEmit()));
                default ->
                    throw new IllegalArgumentException("Unknown engine '" + name
                            + "' in windows.engines: use sluice, sluice2 (two tasks), flink and streams,"
                            + " comma-separated.");
            }
        }
        return engines;
    }

    private static KafkaStreamsWindows.Emit streamsEmit() {
        String emit = System.getProperty("windows.streams.emit", "on-window-close");
        return switch (emit) {
            case "on-window-close" -> KafkaStreamsWindows.Emit.ON_WINDOW_CLOSE;
            case "suppress" -> KafkaStreamsWindows.Emit.SUPPRESS;
            default ->
                throw new IllegalArgumentException(
                        "Unknown windows.streams.emit '" + emit + "': use on-window-close or suppress.");
        };
    }

    private static void printSetup(WindowEvents input, long seed, WindowTally expected) {
        System.out.printf(
                "Windowed aggregation in three engines, in-process on this machine (%s, %d cores, Java %s, max heap %,d"
                        + " MiB)%n",
                LocalDate.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(
                "tumbling 1-minute event-time windows, count per key: %,d events over %,d keys, %,d events per minute,"
                        + " up to %d s out of order (%d s allowed), seed %d%n",
                input.size(),
                input.distinctKeys(),
                input.eventsPerMinute(),
                WindowEvents.MAX_DISORDER_MS / 1000,
                WindowEvents.OUT_OF_ORDER_MS / 1000,
                seed);
        System.out.printf(
                "expected from the input: %s in %d closed windows (window end <= latest event time - %d s; the"
                        + " window still open at the end is left out by every engine)%n",
                expected, expected.windows(), WindowEvents.OUT_OF_ORDER_MS / 1000);
        System.out.println("Every engine runs on threads of this JVM, without a broker; the input is generated once,"
                + " outside the timed part. Timed per engine:");
    }

    private static void check(WindowEngine engine, WindowTally got, WindowTally expected) {
        if (!got.sameAs(expected)) {
            System.out.printf(
                    "MISMATCH: %s produced %s, but the input gives %s. The comparison is not valid.%n",
                    engine.name(), got, expected);
            System.out.flush();
            System.exit(1);
        }
    }

    private static void printSummary(Map<String, List<Double>> rates, WindowTally expected, int engines) {
        StringBuilder line = new StringBuilder("median:");
        Map<String, Double> medians = new LinkedHashMap<>();
        rates.forEach((name, list) -> {
            double median = median(list);
            medians.put(name, median);
            line.append(String.format("  %s %,.0f events/s", name, median));
        });
        System.out.println(line);
        for (String ours : List.of("Sluice", "Sluice x2")) { // the ratios of the engines that ran
            StringBuilder ratios = new StringBuilder();
            for (String other : List.of("Flink", "Kafka Streams")) {
                if (medians.containsKey(ours) && medians.containsKey(other)) {
                    ratios.append(String.format("  %s/%s %.2f", ours, other, medians.get(ours) / medians.get(other)));
                }
            }
            if (!ratios.isEmpty()) {
                System.out.println(ratios.substring(2));
            }
        }
        System.out.printf(
                "results check: all %d engines produced %s in every round, as computed from the input%n",
                engines, expected);
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
