package dev.sluice.stream.runtime;

import dev.sluice.stream.spec.Output;
import dev.sluice.stream.spec.StageSpec;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.spec.TopicSpec;
import dev.sluice.stream.step.Args;
import dev.sluice.stream.step.StatefulStep;
import dev.sluice.stream.step.Step;
import dev.sluice.stream.step.StepContext;
import dev.sluice.stream.step.Steps;
import dev.sluice.stream.step.WindowStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes sure one task sees every event of a group before a window aggregates them. A window grouped by fields, in a
 * stage that reads more than one partition, splits its stage in two, with a topic keyed by those fields in between
 * (as Kafka Streams does with repartition topics): {@code <stage>.partition} runs the steps before the window and a
 * {@code partition-by} step into {@code <pipeline>.<stage>.by-key}; the stage itself reads that topic, parses it
 * again, and runs the window and the steps after it. The window is told the original input partitions, so that it
 * tracks event time per original partition (each event carries it in a header) rather than per shuffled one, whose
 * order mixes partitions that may be far apart in event time. A window grouped by the event key trusts the producers to have
 * keyed the input, and is not split.
 */
final class Repartitioning {
    /** The stages to run, and topics to create for them. */
    record Result(List<StageSpec> stages, List<TopicSpec> topics) {}

    private Repartitioning() {}

    static Result plan(String pipeline, List<StageSpec> stages, Map<String, TopicSpec> topics, StepContext context) {
        List<StageSpec> out = new ArrayList<>();
        List<TopicSpec> created = new ArrayList<>();
        for (StageSpec st : stages) {
            int window = groupedWindow(st, context);
            int partitions = st.from().stream()
                    .mapToInt(f -> topics.containsKey(f) ? topics.get(f).partitions() : 1)
                    .sum();
            if (window < 0 || partitions <= 1) {
                out.add(st);
                continue;
            }
            String topic = pipeline + "." + st.name() + ".by-key";
            int max = st.from().stream()
                    .mapToInt(f -> topics.containsKey(f) ? topics.get(f).partitions() : 1)
                    .max()
                    .orElse(1);
            created.add(new TopicSpec(topic, max, Map.of(), st.location()));
            StepSpec windowSpec = st.steps().get(window);
            List<StepSpec> before = new ArrayList<>(st.steps().subList(0, window));
            WindowStep w = (WindowStep) Steps.create(windowSpec, context);
            before.add(new StepSpec("partition-by", w.groupedBy(), windowSpec.location()));
            List<StepSpec> after = new ArrayList<>();
            if (window > 0) {
                after.add(new StepSpec("parse", "json", windowSpec.location()));
            }
            Map<String, Object> argument = Args.map(windowSpec.argument(), windowSpec.location(), "window", "{}");
            Map<String, Object> upstream = new LinkedHashMap<>();
            st.from()
                    .forEach(f -> upstream.put(
                            f, topics.containsKey(f) ? topics.get(f).partitions() : 1));
            argument.put(StatefulStep.UPSTREAM, upstream);
            after.add(new StepSpec("window", argument, windowSpec.location()));
            after.addAll(st.steps().subList(window + 1, st.steps().size()));
            out.add(new StageSpec(
                    st.name() + ".partition",
                    st.from(),
                    before,
                    new Output.ToTopic(topic),
                    st.deadLetterTopic(),
                    st.parallelism(),
                    st.exactlyOnce(),
                    st.location()));
            out.add(new StageSpec(
                    st.name(),
                    List.of(topic),
                    after,
                    st.output(),
                    st.deadLetterTopic(),
                    st.parallelism(),
                    st.exactlyOnce(),
                    st.location()));
        }
        return new Result(out, created);
    }

    /** The index of the stage's window step if it groups by fields, else -1. */
    private static int groupedWindow(StageSpec st, StepContext context) {
        for (int i = 0; i < st.steps().size(); i++) {
            StepSpec s = st.steps().get(i);
            if (s.kind().equals("window")) {
                try (Step step = Steps.create(s, context)) {
                    return ((WindowStep) step).groupedBy() != null ? i : -1;
                }
            }
        }
        return -1;
    }
}
