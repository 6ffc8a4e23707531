package dev.sluice.app.pipeline;

import dev.sluice.app.cli.Output;
import dev.sluice.stream.runtime.Metrics;
import dev.sluice.stream.runtime.PipelinePlan;
import dev.sluice.stream.runtime.PipelineRun;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Live progress of a run on stderr: per source and stage, events in and out per second, dead letters, lag, and what a
 * stage is waiting for. On a terminal the lines are redrawn in place every second; otherwise a block is printed every
 * ten seconds, so logs stay readable.
 */
final class ProgressView {
    private final PrintWriter err;
    private final PipelineRun run;
    private final boolean enabled;
    private final boolean terminal = System.console() != null;
    private final Map<String, long[]> previous = new HashMap<>();
    private final long start = System.nanoTime();
    private long lastDraw;
    private int drawnLines;

    ProgressView(PrintWriter err, PipelineRun run, boolean enabled) {
        this.err = err;
        this.run = run;
        this.enabled = enabled;
    }

    void update() {
        long now = System.nanoTime();
        long interval = terminal ? 1_000_000_000L : 10_000_000_000L;
        if (!enabled || now - lastDraw < interval) {
            return;
        }
        double seconds = lastDraw == 0 ? (now - start) / 1e9 : (now - lastDraw) / 1e9;
        lastDraw = now;
        List<String> lines = lines(seconds);
        if (terminal && drawnLines > 0) {
            err.print("\u001b[" + drawnLines + "F"); // back to the first line drawn last time
        }
        for (String line : lines) {
            err.print(terminal ? line + "\u001b[K\n" : line + "\n");
        }
        err.flush();
        drawnLines = lines.size();
    }

    void finish() {
        if (enabled && terminal && drawnLines > 0) {
            err.println();
            err.flush();
        }
    }

    private List<String> lines(double seconds) {
        Map<String, Metrics.Snapshot> metrics = run.metrics();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s  %ds", run.plan().spec().name(), (System.nanoTime() - start) / 1_000_000_000L));
        int width = Summary.nameWidth(run.plan());
        for (PipelinePlan.SourcePlan s : run.plan().sources()) {
            Metrics.Snapshot m = metrics.get(s.spec().name());
            lines.add(String.format(
                    "  source %-" + width + "s %12s out %10s/s",
                    s.spec().name(),
                    Output.count(m.out()),
                    Output.count(rate(s.spec().name() + ".out", m.out(), seconds))));
        }
        for (PipelinePlan.StagePlan s : run.plan().stages()) {
            String name = s.spec().name();
            Metrics.Snapshot m = metrics.get(name);
            String lag;
            try {
                lag = Output.count(run.lag(name));
            } catch (RuntimeException e) {
                lag = "?";
            }
            String line = String.format(
                    "  %-6s %-" + width + "s %12s in %10s/s %12s out %8s dead  lag %s",
                    s.sink() == null ? "stage" : "sink",
                    name,
                    Output.count(m.in()),
                    Output.count(rate(name + ".in", m.in(), seconds)),
                    Output.count(m.out()),
                    Output.count(m.deadLettered()),
                    lag);
            if (m.waitingOn() != null) {
                line += "  RETRYING: " + m.waitingOn();
            }
            lines.add(line);
        }
        return lines;
    }

    private long rate(String key, long total, double seconds) {
        long[] prev = previous.computeIfAbsent(key, k -> new long[1]);
        long r = seconds <= 0 ? 0 : (long) ((total - prev[0]) / seconds);
        prev[0] = total;
        return r;
    }
}
