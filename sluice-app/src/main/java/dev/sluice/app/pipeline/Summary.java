package dev.sluice.app.pipeline;

import dev.sluice.app.cli.Output;
import dev.sluice.stream.runtime.Metrics;
import dev.sluice.stream.runtime.PipelinePlan;
import dev.sluice.stream.spec.PipelineSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run did, printed when it stops, with the next commands a user may want. */
final class Summary {
    private Summary() {}

    /** The width of the name column: the longest source or stage name (stages Sluice adds have long ones). */
    static int nameWidth(PipelinePlan plan) {
        int width = 14;
        for (PipelinePlan.SourcePlan s : plan.sources()) {
            width = Math.max(width, s.spec().name().length());
        }
        for (PipelinePlan.StagePlan s : plan.stages()) {
            width = Math.max(width, s.spec().name().length());
        }
        return width;
    }

    static void print(
            PrintWriter out,
            PipelinePlan plan,
            Map<String, Metrics.Snapshot> metrics,
            Map<String, Long> lags,
            double seconds,
            String broker) {
        out.printf("%nPipeline %s stopped after %.1f s.%n", plan.spec().name(), seconds);
        int width = nameWidth(plan);
        for (PipelinePlan.SourcePlan s : plan.sources()) {
            out.printf(
                    "  source %-" + width + "s published %s events%n",
                    s.spec().name(),
                    Output.count(metrics.get(s.spec().name()).out()));
        }
        List<String> hints = new ArrayList<>();
        for (PipelinePlan.StagePlan s : plan.stages()) {
            Metrics.Snapshot m = metrics.get(s.spec().name());
            out.printf(
                    "  %-6s %-" + width + "s read %s, delivered %s, dead-lettered %s,%s still to process %s%n",
                    s.sink() == null ? "stage" : "sink",
                    s.spec().name(),
                    Output.count(m.in()),
                    Output.count(m.out()),
                    Output.count(m.deadLettered()),
                    m.late() > 0 ? " late " + Output.count(m.late()) + "," : "",
                    Output.count(lags.getOrDefault(s.spec().name(), 0L)));
            if (m.deadLettered() > 0) {
                hints.add("sluice dlq show " + s.deadLetterTopic() + dataDirOption(broker) + "     # why "
                        + Output.count(m.deadLettered()) + " events failed in "
                        + s.spec().name());
            }
            if (s.sink() != null && s.sink().type().equals("duckdb")) {
                String path = s.context().resolve(s.sinkConfig().string("path")).toString();
                String table = s.sinkConfig().string("table");
                hints.add("sluice sql " + path + " \"SELECT count(*) FROM " + table + "\"");
            }
        }
        if (!hints.isEmpty()) {
            out.println();
            out.println("Next:");
            hints.forEach(h -> out.println("  " + h));
        }
    }

    private static String dataDirOption(String broker) {
        return broker.startsWith("embedded:")
                ? " --data-dir " + broker.substring("embedded:".length())
                : " --broker " + broker;
    }

    static Map<String, Object> json(
            PipelineSpec spec,
            Map<String, Metrics.Snapshot> metrics,
            Map<String, Long> lags,
            double seconds,
            String failure,
            boolean timedOut) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipeline", spec.name());
        m.put("seconds", seconds);
        m.put("metrics", metrics);
        m.put("lag", lags);
        m.put("failure", failure);
        m.put("timedOut", timedOut);
        return m;
    }
}
