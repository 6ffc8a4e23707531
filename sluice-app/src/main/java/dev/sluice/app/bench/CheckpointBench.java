package dev.sluice.app.bench;

import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.runtime.Pauses;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The checkpoint benchmark of the real-time analytics issue: a generator publishes events over many keys at a steady
 * rate while one task keeps a day-long window per key (count and exact distinct count of an item field), so the state
 * grows with the keys; every checkpoint interval the task stops to write what changed to the changelog. Measures those
 * pauses, the rate the task kept up with, and the heap the state holds.
 */
final class CheckpointBench {
    record Result(
            long events,
            double seconds,
            double eventsPerSecond,
            Pauses.Summary pauses,
            long heapAfterGcBytes,
            long changelogBytes) {}

    static PipelineSpec spec(long keys, long rate) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("k", Map.of("int", List.of(1, keys)));
        fields.put("item", Map.of("int", List.of(1, 40)));
        fields.put("ts", "now");
        return Pipeline.named("ckpt")
                .topic("in", 1, Map.of("flush.policy", "os"))
                .topic("out", 1, Map.of("flush.policy", "os"))
                .source("gen", "generator", "in", Map.of("rate", rate + "/s", "key", "k", "fields", fields))
                .stage(
                        "state",
                        s -> s.from("in")
                                .parse("json")
                                .step(
                                        "window",
                                        Map.of(
                                                "tumbling",
                                                "1d",
                                                "time",
                                                "ts",
                                                "aggregate",
                                                Map.of("n", "count()", "items", "count_distinct(item)")))
                                .to("out"))
                .build();
    }

    static Result run(Path dir, long keys, long rate, long seconds, long intervalMs, LongConsumer progress)
            throws Exception {
        PipelineSpec spec = spec(keys, rate);
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"))) {
            long events;
            Pauses.Summary pauses;
            long heap;
            try (PipelineRun run =
                    PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir).withCheckpointInterval(intervalMs))) {
                while (System.nanoTime() < deadline) {
                    if (run.failure() != null) {
                        throw new IllegalStateException(run.failure());
                    }
                    Thread.sleep(500);
                    progress.accept(run.metrics().get("state").in());
                }
                events = run.metrics().get("state").in();
                pauses = run.checkpointPauses("state");
                System.gc();
                Runtime rt = Runtime.getRuntime();
                heap = rt.totalMemory() - rt.freeMemory();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            long changelog = broker.admin().describeTopic("ckpt.state.changelog").partitions().stream()
                    .mapToLong(p -> p.sizeBytes())
                    .sum();
            return new Result(events, secs, events / secs, pauses, heap, changelog);
        }
    }
}
