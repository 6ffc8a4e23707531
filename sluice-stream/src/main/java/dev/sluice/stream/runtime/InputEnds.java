package dev.sluice.stream.runtime;

import dev.sluice.broker.Admin;
import dev.sluice.broker.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end of a bounded run, as Flink ends a bounded job: once every source has finished, the end of the input moves
 * through the pipeline stage by stage. A topic is complete when everything in this run that writes to it has ended
 * (its sources finished; its stages ended), and one nothing in the run writes to is complete from the start. A stage
 * all of whose inputs are complete is told where they end ({@link StageTask#endInput}: the end offsets taken after
 * they were complete); its tasks read up to there, hand the end to their stateful steps (every window closes, the last
 * one too), deliver the results, keep their state and offsets, and say so. A stage has ended when every task has and
 * together they have handled every partition of its inputs; then the topics it writes are complete for the stages
 * after it. Used by one thread, the one waiting for the run to end.
 */
final class InputEnds {
    private final Map<String, PipelinePlan.StagePlan> stages = new LinkedHashMap<>();
    private final Map<String, List<StageTask>> tasks;
    private final Admin admin;
    /** For each topic, what in this run writes to it: {@code source:<name>} and {@code stage:<name>}. */
    private final Map<String, Set<String>> writers = new HashMap<>();

    private final Set<String> finished = new HashSet<>();
    private final Set<String> told = new HashSet<>();

    InputEnds(PipelinePlan plan, Map<String, List<StageTask>> tasks, Admin admin) {
        this.tasks = tasks;
        this.admin = admin;
        for (PipelinePlan.SourcePlan s : plan.sources()) {
            writers.computeIfAbsent(s.spec().to(), t -> new HashSet<>())
                    .add("source:" + s.spec().name());
        }
        for (PipelinePlan.StagePlan s : plan.stages()) {
            stages.put(s.spec().name(), s);
            for (String topic : s.outputs()) {
                writers.computeIfAbsent(topic, t -> new HashSet<>())
                        .add("stage:" + s.spec().name());
            }
        }
    }

    /**
     * Moves the end on as far as it can now.
     *
     * @param sourcesFinished whether every source of the run has finished
     * @return true once every stage has ended
     */
    boolean advance(boolean sourcesFinished) {
        if (!sourcesFinished) {
            return false;
        }
        writers.values().forEach(w -> w.removeIf(name -> name.startsWith("source:")));
        boolean progress = true;
        while (progress) {
            progress = false;
            for (PipelinePlan.StagePlan s : stages.values()) {
                String name = s.spec().name();
                if (!told.contains(name) && s.spec().from().stream().allMatch(this::complete)) {
                    Map<TopicPartition, Long> ends = admin.endOffsets(s.inputs());
                    tasks.getOrDefault(name, List.of()).forEach(t -> t.endInput(ends));
                    told.add(name);
                }
                if (told.contains(name) && !finished.contains(name) && ended(s)) {
                    finished.add(name);
                    writers.values().forEach(w -> w.remove("stage:" + name));
                    progress = true;
                }
            }
        }
        return finished.size() == stages.size();
    }

    /** The stages that have not ended yet, for a message when a bounded run does not end in time. */
    List<String> pending() {
        List<String> out = new ArrayList<>();
        for (String name : stages.keySet()) {
            if (!finished.contains(name)) {
                out.add(name
                        + (told.contains(name) ? " (reading to the end of its input)" : " (waiting for its input)"));
            }
        }
        return out;
    }

    private boolean complete(String topic) {
        Set<String> w = writers.get(topic);
        return w == null || w.isEmpty();
    }

    private boolean ended(PipelinePlan.StagePlan s) {
        Set<TopicPartition> handled = new HashSet<>();
        for (StageTask t : tasks.getOrDefault(s.spec().name(), List.of())) {
            if (!t.ended()) {
                return false;
            }
            handled.addAll(t.endedPartitions());
        }
        return handled.containsAll(s.inputs());
    }
}
