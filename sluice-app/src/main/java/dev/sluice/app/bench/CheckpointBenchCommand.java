package dev.sluice.app.bench;

import dev.sluice.app.cli.Output;
import dev.sluice.app.cli.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice bench checkpoints}. */
@Command(
        name = "checkpoints",
        description = "Checkpoint pauses of a window over many keys, with events arriving at a steady rate.",
        mixinStandardHelpOptions = true)
public final class CheckpointBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keys", defaultValue = "1000000", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    long keys;

    @Option(names = "--rate", defaultValue = "200000", description = "Events per second (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--seconds", defaultValue = "60", description = "How long to run (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(
            names = "--interval",
            defaultValue = "5000",
            description = "Checkpoint interval in milliseconds (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("sluice-bench-checkpoints");
        CheckpointBench.Result r;
        try {
            if (!json) {
                out.printf(
                        "sluice bench checkpoints: %s keys, %s events/s for %d s, a day-long window per key (count,"
                                + " count_distinct), checkpoint every %d ms%n",
                        Output.count(keys), Output.count(rate), seconds, intervalMs);
                out.flush();
            }
            Progress progress = new Progress(spec.commandLine().getErr(), "processed", rate * seconds);
            r = CheckpointBench.run(dir, keys, rate, seconds, intervalMs, progress::update);
            progress.done();
        } finally {
            BenchDirs.delete(dir);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("events", r.events());
            m.put("eventsPerSecond", r.eventsPerSecond());
            m.put("checkpoints", r.pauses().count());
            m.put("pauseP50Ms", r.pauses().p50Ms());
            m.put("pauseP99Ms", r.pauses().p99Ms());
            m.put("pauseMaxMs", r.pauses().maxMs());
            m.put("heapAfterGcBytes", r.heapAfterGcBytes());
            m.put("changelogBytes", r.changelogBytes());
            out.println(Output.json(m));
        } else {
            out.printf(
                    "processed   %s events (%s events/s)%n",
                    Output.count(r.events()), Output.count((long) r.eventsPerSecond()));
            out.printf(
                    "checkpoints %d, pause p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    r.pauses().count(),
                    r.pauses().p50Ms(),
                    r.pauses().p99Ms(),
                    r.pauses().maxMs());
            out.printf(
                    "state       heap after GC %s MiB (the whole process), changelog written %s MiB%n",
                    r.heapAfterGcBytes() >> 20, r.changelogBytes() >> 20);
        }
        out.flush();
        return 0;
    }
}
