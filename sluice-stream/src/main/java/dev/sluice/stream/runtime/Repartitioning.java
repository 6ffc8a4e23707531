package dev.sluice.stream.runtime;

import dev.sluice.stream.spec.Output;
import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StageSpec;
import dev.sluice.stream.spec.StepSpec;
import dev.sluice.stream.spec.TopicSpec;
import dev.sluice.stream.step.Args;
import dev.sluice.stream.step.StatefulStep;
import dev.sluice.stream.step.Step;
import dev.sluice.stream.step.StepContext;
import dev.sluice.stream.step.Steps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes sure one task sees every event of a group before a stateful step: a window or process step grouped by fields,
 * in a stage that reads more than one partition, or a join with another stream. Such a stage is split, with a topic keyed by those
 * fields in between (as Kafka Streams does with repartition topics): {@code <stage>.partition} runs the steps before
 * the stateful one and a {@code partition-by} step into {@code <pipeline>.<stage>.by-key}; for a stream join,
 * {@code <stage>.partition-<stream>} puts the other stream's events there too, keyed by its join field. The stage
 * itself reads that topic, parses it again, and runs the stateful step and the steps after it. The step is told the
 * original input partitions, so that it tracks event time per original partition (each event carries it in a header)
 * rather than per shuffled one, whose order mixes partitions that may be far apart in event time; the header also
 * tells a join which stream an event is from. A window grouped by the event key trusts the producers to have keyed the
 * input, and is not split.
 */
final class Repartitioning {
    /**
     * The stages to run, topics to create for them, and the idle timeout of the stateful step behind each by-key topic
     * (how long an origin partition is quiet before its stage's reports say so at once).
     */
    record Result(List<StageSpec> stages, List<TopicSpec> topics, Map<String, Long> idleTimeouts) {}

    /**
     * A stateful step that needs its stage split: where it is, the fields that key the stage's events, and for a join
     * the other stream and the fields that key its events (else null).
     */
    private record Split(int index, List<String> keys, String other, List<String> otherKeys) {}

    private Repartitioning() {}

    static Result plan(String pipeline, List<StageSpec> stages, Map<String, TopicSpec> topics, StepContext context) {
        List<StageSpec> out = new ArrayList<>();
        List<TopicSpec> created = new ArrayList<>();
        Map<String, Long> idleTimeouts = new LinkedHashMap<>();
        for (StageSpec st : stages) {
            Split split = split(st, topics, context);
            if (split == null) {
                out.add(st);
                continue;
            }
            String topic = pipeline + "." + st.name() + ".by-key";
            Map<String, Object> upstream = new LinkedHashMap<>();
            st.from().forEach(f -> upstream.put(f, partitions(topics, f)));
            if (split.other() != null) {
                upstream.put(split.other(), partitions(topics, split.other()));
            }
            int max =
                    upstream.values().stream().mapToInt(n -> (Integer) n).max().orElse(1);
            created.add(new TopicSpec(topic, max, Map.of(), st.location()));
            StepSpec stateful = st.steps().get(split.index());
            Map<String, Object> argument = Args.map(stateful.argument(), stateful.location(), stateful.kind(), "{}");
            idleTimeouts.put(topic, Args.optionalMillis(argument, "idle-timeout", 30_000, stateful.location()));
            Object time = argument.get("time");
            List<StepSpec> before = new ArrayList<>(st.steps().subList(0, split.index()));
            before.add(partitionBy(split.keys(), time, stateful));
            out.add(derived(st, st.name() + ".partition", st.from(), before, new Output.ToTopic(topic)));
            if (split.other() != null) { // the other stream of a join: parsed and keyed
                Object otherTime = argument.containsKey("other-time") ? argument.get("other-time") : time;
                List<StepSpec> keyed = List.of(
                        new StepSpec("parse", "json", stateful.location()),
                        partitionBy(split.otherKeys(), otherTime, stateful));
                out.add(derived(
                        st,
                        st.name() + ".partition-" + split.other(),
                        List.of(split.other()),
                        keyed,
                        new Output.ToTopic(topic)));
            }
            List<StepSpec> after = new ArrayList<>();
            if (split.index() > 0) {
                after.add(new StepSpec("parse", "json", stateful.location()));
            }
            argument.put(StatefulStep.UPSTREAM, upstream);
            after.add(new StepSpec(stateful.kind(), argument, stateful.location()));
            after.addAll(st.steps().subList(split.index() + 1, st.steps().size()));
            out.add(derived(st, st.name(), List.of(topic), after, st.output()));
        }
        return new Result(out, created, idleTimeouts);
    }

    /** Keys events by the group's fields, and reads their event time as the stateful step does. */
    private static StepSpec partitionBy(List<String> keys, Object time, StepSpec stateful) {
        Map<String, Object> argument = new LinkedHashMap<>();
        argument.put("fields", keys);
        if (time != null) {
            argument.put("time", time);
        }
        return new StepSpec("partition-by", argument, stateful.location());
    }

    private static StageSpec derived(
            StageSpec st, String name, List<String> from, List<StepSpec> steps, Output output) {
        return new StageSpec(
                name, from, steps, output, st.deadLetterTopic(), st.parallelism(), st.exactlyOnce(), st.location());
    }

    private static int partitions(Map<String, TopicSpec> topics, String topic) {
        return topics.containsKey(topic) ? topics.get(topic).partitions() : 1;
    }

    /** How to split the stage, or null if its first stateful step needs no by-key topic. */
    private static Split split(StageSpec st, Map<String, TopicSpec> topics, StepContext context) {
        for (int i = 0; i < st.steps().size(); i++) {
            StepSpec s = st.steps().get(i);
            try (Step step = Steps.create(s, context)) {
                List<String> groupKeys = Steps.groupedBy(step);
                Steps.StreamJoin join = Steps.streamJoin(step);
                if (join != null) {
                    return joinSplit(st, i, s, join, topics);
                }
                if (groupKeys != null) {
                    int inputs = st.from().stream()
                            .mapToInt(f -> partitions(topics, f))
                            .sum();
                    if (inputs <= 1) {
                        return null;
                    }
                    return new Split(i, groupKeys, null, null);
                }
                if (step instanceof StatefulStep) {
                    return null; // grouped by the event key
                }
            }
        }
        return null;
    }

    private static Split joinSplit(
            StageSpec st, int index, StepSpec s, Steps.StreamJoin join, Map<String, TopicSpec> topics) {
        PipelineValidator.topic(topics, join.stream(), s.location(), "join.stream");
        if (st.from().contains(join.stream())) {
            throw new PipelineException(
                    s.location(),
                    "stage '" + st.name() + "' reads '" + join.stream() + "' and joins it with itself; a stream join"
                            + " needs another topic. To match events of one stream with each other, use a window.");
        }
        return new Split(index, List.of(join.on()), join.stream(), List.of(join.otherOn()));
    }
}
