package dev.sluice.app.bench;

import dev.sluice.broker.Event;
import dev.sluice.broker.embedded.EmbeddedBroker;
import dev.sluice.stream.Pipeline;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.Config;
import dev.sluice.stream.connector.ConnectorContext;
import dev.sluice.stream.connector.Connectors;
import dev.sluice.stream.connector.Sink;
import dev.sluice.stream.connector.SinkConnector;
import dev.sluice.stream.connector.Source;
import dev.sluice.stream.connector.SourceConnector;
import dev.sluice.stream.runtime.PipelineRun;
import dev.sluice.stream.runtime.RuntimeOptions;
import dev.sluice.stream.spec.PipelineSpec;
import dev.sluice.stream.spec.SourceSpec;
import dev.sluice.stream.spec.StageSpec;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.step.Step;
import dev.sluice.stream.step.StepContext;
import dev.sluice.stream.step.Steps;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The pipeline benchmark of the pipelines issue: generator -> topic -> parse JSON -> filter -> map -> file sink on the
 * embedded broker. It measures the end-to-end rate (first event published to last event written) and, separately,
 * what each step costs per event on this machine, so the total can be explained.
 */
final class PipelineBench {
    record Result(
            long events,
            long delivered,
            double seconds,
            double eventsPerSecond,
            Map<String, Double> nanosPerEvent,
            long heapPeakBytes) {}

    static PipelineSpec spec(long events, int partitions) {
        return Pipeline.named("bench")
                .topic("raw", partitions, Map.of("flush.policy", "os"))
                .source("gen", "generator", "raw", Map.of("count", events, "fields", fields()))
                .sink(
                        "out",
                        "file",
                        Map.of("path", "out"),
                        s -> s.from("raw")
                                .parse("json")
                                .filter("event.agent != 'bot'")
                                .map(Map.of("cents", "event.amount * 100")))
                .build();
    }

    private static Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", "sequence");
        f.put("user", Map.of("int", List.of(1, 1000)));
        f.put("page", Map.of("one-of", List.of("/", "/a", "/b", "/c")));
        f.put("agent", Map.of("one-of", List.of("human", "bot")));
        f.put("amount", Map.of("uniform", List.of(1, 100)));
        return f;
    }

    static Result run(Path dir, long events, int partitions, LongConsumer progress) throws Exception {
        PipelineSpec spec = spec(events, partitions);
        Map<String, Double> costs = stepCosts(spec, dir);
        long start;
        double seconds;
        long delivered;
        try (EmbeddedBroker broker = EmbeddedBroker.open(dir.resolve("data"))) {
            start = System.nanoTime();
            try (PipelineRun run = PipelineRun.start(spec, broker, RuntimeOptions.defaults(dir))) {
                while (!run.awaitIdle(Duration.ofMillis(200))) {
                    if (run.failure() != null) {
                        throw new IllegalStateException(run.failure());
                    }
                    progress.accept(run.metrics().get("out").in());
                }
                seconds = (System.nanoTime() - start) / 1e9;
                delivered = run.metrics().get("out").out();
            }
        }
        return new Result(events, delivered, seconds, events / seconds, costs, 0);
    }

    private static final int ROUNDS = 7;

    interface Measurement {
        double nanosPerEvent() throws Exception;
    }

    /** The fastest of several rounds: the first rounds run while the JIT is still compiling. */
    private static double best(int rounds, Measurement m) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            best = Math.min(best, m.nanosPerEvent());
        }
        return best;
    }

    /** The steps applied one after the other, each handing what it emits to the next, and the rest to {@code end}. */
    private static Consumer<StreamRecord> chain(List<Step> steps, Consumer<StreamRecord> end) {
        Consumer<StreamRecord> next = end;
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            Consumer<StreamRecord> then = next;
            next = r -> step.apply(r, then);
        }
        return next;
    }

    /**
     * Nanoseconds per event of each piece on 200,000 generated events (best of several rounds). A step's cost is the
     * time of the steps up to and including it minus the time of the steps before it, each run on fresh records from
     * the generated bytes, so every step sees what it sees in the pipeline (a lazily parsed event, for one).
     */
    private static Map<String, Double> stepCosts(PipelineSpec spec, Path dir) throws Exception {
        Connectors connectors = Connectors.discover();
        SourceSpec s = spec.sources().get(0);
        SourceConnector gen = connectors.source(s.type(), s.location());
        ConnectorContext context =
                new ConnectorContext("bench", s.name(), s.to(), dir, Clock.systemUTC(), 0, s.location());
        Map<String, Object> config = new LinkedHashMap<>(s.config());
        config.put("count", 200_000);
        Source source = gen.create(Config.check("gen", config, gen.keys(), s.location()), context);
        List<Event> events = new ArrayList<>();
        Map<String, Double> costs = new LinkedHashMap<>();
        costs.put("generate", best(ROUNDS, () -> {
            events.clear();
            long t0 = System.nanoTime();
            source.open(null);
            for (var b = source.poll(Duration.ofSeconds(1)); b != null; b = source.poll(Duration.ofSeconds(1))) {
                events.addAll(b.events());
            }
            return (System.nanoTime() - t0) / (double) events.size();
        }));
        StageSpec sink = spec.stages().get(0);
        StepContext stepContext = new StepContext(dir, Clock.systemUTC());
        List<Step> steps = new ArrayList<>();
        for (StepSpec stepSpec : sink.steps()) {
            steps.add(Steps.create(stepSpec, stepContext));
        }
        // prefix k runs the first k steps; the last one also serializes. Rounds go over all prefixes in turn, so each
        // is measured in the same state of the JIT, and each keeps its fastest round.
        List<Consumer<StreamRecord>> prefixes = new ArrayList<>();
        for (int k = 1; k <= steps.size(); k++) {
            prefixes.add(chain(steps.subList(0, k), r -> {}));
        }
        prefixes.add(chain(steps, StreamRecord::valueBytes));
        double[] fastest = new double[prefixes.size()];
        Arrays.fill(fastest, Double.MAX_VALUE);
        for (int round = 0; round < 3 * ROUNDS; round++) {
            for (int k = 0; k < prefixes.size(); k++) {
                List<StreamRecord> fresh = new ArrayList<>(events.size());
                for (Event e : events) {
                    fresh.add(new StreamRecord(e.key(), e.value(), e.headers(), e.timestamp(), null));
                }
                Consumer<StreamRecord> prefix = prefixes.get(k);
                long t = System.nanoTime();
                for (StreamRecord r : fresh) {
                    prefix.accept(r);
                }
                fastest[k] = Math.min(fastest[k], (System.nanoTime() - t) / (double) fresh.size());
            }
        }
        for (int k = 0; k < prefixes.size(); k++) {
            String name = k < steps.size() ? sink.steps().get(k).kind() : "serialize";
            costs.put(name, Math.max(0, fastest[k] - (k == 0 ? 0 : fastest[k - 1])));
        }
        List<StreamRecord> output = new ArrayList<>();
        Consumer<StreamRecord> collect = chain(steps, output::add);
        for (Event e : events) {
            collect.accept(new StreamRecord(e.key(), e.value(), e.headers(), e.timestamp(), null));
        }
        List<StreamRecord> serialized = new ArrayList<>(output.size());
        for (StreamRecord r : output) {
            serialized.add(new StreamRecord(r.key(), r.valueBytes(), r.headers(), r.timestamp(), null));
        }
        var out = (dev.sluice.stream.spec.Output.ToSink) sink.output();
        SinkConnector file = connectors.sink(out.type(), sink.location());
        Map<String, Object> fileConfig = Map.of("path", "step-cost-out");
        try (Sink writer = file.create(
                Config.check("out", fileConfig, file.keys(), sink.location()),
                new ConnectorContext("bench", "cost", "raw", dir, Clock.systemUTC(), 0, sink.location()))) {
            writer.open();
            costs.put("file write", best(ROUNDS, () -> {
                long t = System.nanoTime();
                for (int i = 0; i < serialized.size(); i += 2_000) {
                    writer.write(serialized.subList(i, Math.min(serialized.size(), i + 2_000)));
                }
                return (System.nanoTime() - t) / (double) events.size();
            }));
        }
        return costs;
    }
}
