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

/** {@code sluice bench pipeline}. */
@Command(
        name = "pipeline",
        description =
                "End-to-end rate of generator -> topic -> parse JSON -> filter -> map -> file sink, with the cost of each step.",
        mixinStandardHelpOptions = true)
public final class PipelineBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--events",
            defaultValue = "10000000",
            description = "Events to generate (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("sluice-bench-pipeline");
        PipelineBench.Result r;
        try {
            if (!json) {
                out.printf(
                        "sluice bench pipeline: %s events, generator -> topic (%d partitions, flush=os) -> parse json"
                                + " -> filter -> map -> file%n",
                        Output.count(events), partitions);
                out.flush();
            }
            Progress progress = new Progress(spec.commandLine().getErr(), "delivered", events);
            r = PipelineBench.run(dir, events, partitions, progress::update);
            progress.done();
        } finally {
            BenchDirs.delete(dir);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("events", r.events());
            m.put("delivered", r.delivered());
            m.put("seconds", r.seconds());
            m.put("eventsPerSecond", r.eventsPerSecond());
            m.put("nanosPerEvent", r.nanosPerEvent());
            out.println(Output.json(m));
        } else {
            out.printf(
                    "end to end  %s events/s  (%s events in %.2f s, %s passed the filter and were written)%n",
                    Output.count((long) r.eventsPerSecond()),
                    Output.count(r.events()),
                    r.seconds(),
                    Output.count(r.delivered()));
            out.println(
                    "cost of each piece per generated event, on one thread (the filter passes half the events on):");
            double total = 0;
            for (var e : r.nanosPerEvent().entrySet()) {
                out.printf("  %-12s %7.0f ns%n", e.getKey(), e.getValue());
                total += e.getValue();
            }
            out.printf(
                    "  %-12s %7.0f ns  (the broker's append, poll and decode, and thread hand-offs, come on top)%n",
                    "sum", total);
        }
        out.flush();
        return 0;
    }
}
