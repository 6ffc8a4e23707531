package dev.sluice.bench.pipelines;

import dev.sluice.bench.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * compare-pipelines: the same two workloads over the same generated click file in the Sluice application, in Apache
 * Flink and (W1) in a hand-written loop, each engine as its own process under {@code /usr/bin/time -v}, with every
 * output checked against the answer computed from the input. See {@code sluice-bench/pipelines/README.md}.
 *
 * <p>Arguments: {@code [EVENTS [ROUNDS]] [--json]} (defaults 10,000,000 and 1). System properties (set by run.sh):
 * {@code pipelines.dir}, {@code pipelines.sluiceLauncher}, {@code pipelines.work} (the cache and run directories),
 * {@code pipelines.flinkJvm}; optional: {@code pipelines.engines} (default
 * {@code sluice,flink,loop}), {@code pipelines.workloads} (default {@code w1,w2}), {@code pipelines.parallelism}
 * (Flink, default 2), {@code pipelines.idleBusy} (the busy share below which the machine counts as idle, default 0.1),
 * {@code pipelines.idleTimeout} (seconds, default 300), {@code pipelines.timeout} (Sluice's {@code --timeout}, default
 * 6h), {@code pipelines.keep} (keep the engines' outputs and data, default false).
 *
 * <p>Exits with 1 when any run failed or gave a wrong answer, after reporting every run.
 */
public final class PipelineComparison {
    private PipelineComparison() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean json = rest.remove("--json");
        long events = rest.size() > 0 ? Long.parseLong(rest.get(0).replace("_", "")) : 10_000_000;
        int rounds = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 1;
        Path work = Path.of(System.getProperty("pipelines.work", "sluice-bench/target"));
        List<String> engines = list("pipelines.engines", "sluice,flink,loop");
        List<String> workloads = list("pipelines.workloads", "w1,w2");
        Engines setup = new Engines(
                Path.of(System.getProperty("pipelines.dir", "sluice-bench/pipelines")),
                Path.of(System.getProperty("pipelines.sluiceLauncher", "sluice")),
                System.getProperty("java.class.path"),
                Engines.options(System.getProperty("pipelines.flinkJvm")),
                Integer.getInteger("pipelines.parallelism", 2),
                System.getProperty("pipelines.timeout", "6h"));

        progress("input: %,d clicks (cached in %s) ...", events, work.resolve("pipelines-input"));
        Path input = ClickFile.ensure(work.resolve("pipelines-input"), events);
        Expected.Saved expected = Expected.load(input);
        progress(
                "input: %s, %,d bytes; expected W1 %,d rows, W2 %,d page rows and %,d user rows",
                input,
                Files.size(input),
                expected.w1().parts().get("clicks").rows(),
                expected.w2().parts().get("pages").rows(),
                expected.w2().parts().get("users").rows());

        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (String workload : workloads) {
                Answer answer = workload.equals("w1") ? expected.w1() : expected.w2();
                for (String engine : engines) {
                    if (Engines.runs(engine, workload)) {
                        runs.add(run(setup, engine, workload, round, input, events, answer, work));
                    }
                }
            }
        }
        Report report = new Report(events, rounds, input, Files.size(input), setup, runs, expected);
        if (json) {
            report.printTable(System.err);
            System.out.println(report.json());
        } else {
            report.printTable(System.out);
        }
        if (runs.stream().anyMatch(r -> !r.ok())) {
            System.err.println("FAILED: " + runs.stream().filter(r -> !r.ok()).count()
                    + " run(s) failed or gave a wrong answer; see 'problem' above.");
            System.exit(1);
        }
    }

    private static Run run(
            Engines setup,
            String engine,
            String workload,
            int round,
            Path input,
            long events,
            Answer expected,
            Path work)
            throws Exception {
        Path dir = work.resolve("pipelines-runs").resolve(workload + "-" + engine);
        if (Files.exists(dir)) {
            TempDirs.delete(dir);
        }
        Files.createDirectories(dir);
        List<String> command = setup.command(engine, workload, input, dir);
        warm(input);
        Idle.Wait idle = Idle.await(
                Double.parseDouble(System.getProperty("pipelines.idleBusy", "0.1")),
                Long.getLong("pipelines.idleTimeout", 300));
        progress(
                "%s %s round %d: %s after %.0f s (busy %.0f%%, load %.2f); running %s",
                workload,
                engine,
                round,
                idle.idle() ? "idle" : "STILL BUSY",
                idle.waitedSeconds(),
                idle.busy() * 100,
                idle.loadAverage(),
                shorten(String.join(" ", command)));
        Measured measured = TimedProcess.run(command, dir);
        Run run = check(engine, workload, round, events, measured, idle, expected, dir);
        progress(
                "%s %s round %d: %.1f s, %.1f CPU s, %,.0f MiB peak RSS, %,.0f events/s: %s",
                workload,
                engine,
                round,
                measured.elapsedSeconds(),
                measured.cpuSeconds(),
                measured.maxRssMib(),
                run.eventsPerSecond(),
                (run.ok() ? "output checks out" : "PROBLEM: " + run.problem()) + sluiceNotes(run.summary()));
        if (!Boolean.getBoolean("pipelines.keep")) {
            for (String data : List.of("out", "data", "tmp", "input")) {
                if (Files.exists(dir.resolve(data))) {
                    TempDirs.delete(dir.resolve(data));
                }
            }
        }
        return run;
    }

    private static Run check(
            String engine,
            String workload,
            int round,
            long events,
            Measured measured,
            Idle.Wait idle,
            Answer expected,
            Path dir)
            throws IOException {
        String stdout = Files.readString(dir.resolve("stdout.txt")).trim();
        double inner = inner(engine, stdout);
        String summary = engine.equals("sluice") ? stdout : null;
        String problem = null;
        Answer answer = null;
        if (measured.exitStatus() != 0) {
            problem = "exit status " + measured.exitStatus() + "; stderr ends with: "
                    + TimedProcess.tail(dir.resolve("stderr.txt"), 15);
        } else {
            try {
                answer = workload.equals("w1") ? Outputs.w1(dir.resolve("out")) : Outputs.w2(dir.resolve("out"));
                String differences = answer.differences(expected);
                problem = differences.isEmpty() ? null : "wrong answer: " + differences;
            } catch (RuntimeException e) {
                problem = "its output could not be read: " + e.getMessage();
            }
        }
        return new Run(workload, engine, round, events, measured, idle, answer, inner, problem, summary);
    }

    /** The engine's own time: Sluice's summary {@code "seconds"}, the Flink job's seconds; NaN if not there. */
    private static double inner(String engine, String stdout) {
        try {
            if (engine.equals("sluice")) {
                return new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(stdout)
                        .path("seconds")
                        .asDouble(Double.NaN);
            }
            return engine.equals("flink") ? Double.parseDouble(stdout) : Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** What Sluice's summary says went to dead letters or was late, if anything did. */
    private static String sluiceNotes(String summary) {
        if (summary == null) {
            return "";
        }
        long dead = 0;
        long late = 0;
        try {
            for (com.fasterxml.jackson.databind.JsonNode stage : new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(summary)
                    .path("metrics")) {
                dead += stage.path("deadLettered").asLong();
                late += stage.path("late").asLong();
            }
        } catch (IOException e) {
            return " (Sluice printed no JSON summary)";
        }
        return dead + late == 0 ? "" : String.format(" (Sluice: %,d dead-lettered, %,d late)", dead, late);
    }

    /** Reads the input once, so every engine finds it in the page cache. */
    private static void warm(Path input) throws IOException {
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(input)) {
            while (in.read(buffer) >= 0) {
                // only the reading matters
            }
        }
    }

    private static String shorten(String command) {
        return command.length() <= 160
                ? command
                : command.substring(0, 80) + " ... " + command.substring(command.length() - 75);
    }

    private static List<String> list(String property, String defaults) {
        return Arrays.asList(System.getProperty(property, defaults).split(","));
    }

    static void progress(String format, Object... args) {
        System.err.printf("[compare-pipelines] " + format + "%n", args);
        System.err.flush();
    }
}
