package dev.sluice.bench.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The results of compare-pipelines as a table for people and as JSON for scripts. */
final class Report {
    private final long events;
    private final int rounds;
    private final Path input;
    private final long inputBytes;
    private final Engines setup;
    private final List<Run> runs;
    private final Expected.Saved expected;

    Report(
            long events,
            int rounds,
            Path input,
            long inputBytes,
            Engines setup,
            List<Run> runs,
            Expected.Saved expected) {
        this.events = events;
        this.rounds = rounds;
        this.input = input;
        this.inputBytes = inputBytes;
        this.setup = setup;
        this.runs = runs;
        this.expected = expected;
    }

    void printTable(PrintStream out) {
        out.printf(
                "compare-pipelines: %,d clicks (%,.0f MiB, %s), %d round(s), %d cores, Flink parallelism %d%n",
                events,
                inputBytes / 1048576.0,
                input.getFileName(),
                rounds,
                Runtime.getRuntime().availableProcessors(),
                setup.parallelism());
        out.printf(
                "%-4s %-7s %5s %12s %10s %9s %6s %10s %11s %-6s %s%n",
                "work",
                "engine",
                "round",
                "events/s",
                "elapsed s",
                "CPU s",
                "cores",
                "RSS MiB",
                "rows out",
                "idle",
                "check");
        for (Run r : runs) {
            out.printf(
                    "%-4s %-7s %5d %,12.0f %10.1f %9.1f %6.2f %,10.0f %11s %-6s %s%n",
                    r.workload(),
                    r.engine(),
                    r.round(),
                    r.eventsPerSecond(),
                    r.measured().elapsedSeconds(),
                    r.measured().cpuSeconds(),
                    r.measured().cpuSeconds() / r.measured().elapsedSeconds(),
                    r.measured().maxRssMib(),
                    rows(r),
                    r.before().idle() ? "yes" : "BUSY",
                    r.ok() ? "ok" : "FAILED (below)");
        }
        for (Run r : runs) {
            if (!r.ok()) {
                out.printf("FAILED: %s %s round %d: %s%n", r.workload(), r.engine(), r.round(), r.problem());
            }
        }
        out.println("ratios (medians over rounds; > 1 means Sluice took more):");
        for (Map<String, Object> ratio : ratios()) {
            out.printf(
                    "  %-4s %-14s elapsed %6.2fx   CPU %6.2fx   peak RSS %6.2fx%n",
                    ratio.get("workload"),
                    ratio.get("ratio"),
                    ratio.get("elapsed"),
                    ratio.get("cpu"),
                    ratio.get("rss"));
        }
    }

    private static String rows(Run r) {
        if (r.answer() == null) {
            return "-";
        }
        return String.format(
                "%,d",
                r.answer().parts().values().stream().mapToLong(Tally::rows).sum());
    }

    /** Sluice over Flink for each workload, and Sluice over the loop for W1, where both ran and checked out. */
    private List<Map<String, Object>> ratios() {
        List<Map<String, Object>> ratios = new ArrayList<>();
        for (String workload : List.of("w1", "w2")) {
            for (String other : List.of("flink", "loop")) {
                List<Run> sluice = okRuns(workload, "sluice");
                List<Run> them = okRuns(workload, other);
                if (sluice.isEmpty() || them.isEmpty()) {
                    continue;
                }
                Map<String, Object> ratio = new LinkedHashMap<>();
                ratio.put("workload", workload);
                ratio.put("ratio", "Sluice/" + (other.equals("flink") ? "Flink" : "loop"));
                ratio.put(
                        "elapsed",
                        median(sluice, r -> r.measured().elapsedSeconds())
                                / median(them, r -> r.measured().elapsedSeconds()));
                ratio.put(
                        "cpu",
                        median(sluice, r -> r.measured().cpuSeconds())
                                / median(them, r -> r.measured().cpuSeconds()));
                ratio.put(
                        "rss",
                        median(sluice, r -> r.measured().maxRssMib())
                                / median(them, r -> r.measured().maxRssMib()));
                ratios.add(ratio);
            }
        }
        return ratios;
    }

    private List<Run> okRuns(String workload, String engine) {
        return runs.stream()
                .filter(r ->
                        r.ok() && r.workload().equals(workload) && r.engine().equals(engine))
                .toList();
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        double[] sorted = runs.stream().mapToDouble(value).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    String json() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("events", events);
        root.put("rounds", rounds);
        root.put("input", Map.of("file", input.toString(), "bytes", inputBytes));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("flinkParallelism", setup.parallelism());
        root.put("expected", expected);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Run r : runs) {
            list.add(json(r));
        }
        root.put("runs", list);
        root.put("ratios", ratios());
        root.put("ok", runs.stream().allMatch(Run::ok));
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static Map<String, Object> json(Run r) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", r.workload());
        m.put("engine", r.engine());
        m.put("round", r.round());
        m.put("eventsPerSecond", r.eventsPerSecond());
        m.put("elapsedSeconds", r.measured().elapsedSeconds());
        m.put("cpuSeconds", r.measured().cpuSeconds());
        m.put("maxRssMib", r.measured().maxRssMib());
        m.put("exitStatus", r.measured().exitStatus());
        m.put("innerSeconds", Double.isNaN(r.innerSeconds()) ? null : r.innerSeconds());
        m.put("idleBefore", r.before());
        m.put("answer", r.answer());
        m.put("ok", r.ok());
        m.put("problem", r.problem());
        if (r.summary() != null) {
            try {
                m.put("sluiceSummary", new ObjectMapper().readTree(r.summary()));
            } catch (IOException e) {
                m.put("sluiceSummary", r.summary());
            }
        }
        return m;
    }
}
