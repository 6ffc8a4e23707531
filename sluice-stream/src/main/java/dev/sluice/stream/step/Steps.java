package dev.sluice.stream.step;

import dev.sluice.stream.spec.PipelineException;
import dev.sluice.stream.spec.StepSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The step kinds by name: the built-in ones and any found with {@link ServiceLoader}. */
public final class Steps {
    private static final Map<String, StepFactory> FACTORIES = load();

    private Steps() {}

    private static Map<String, StepFactory> load() {
        Map<String, StepFactory> m = new LinkedHashMap<>();
        for (StepFactory f : List.of(
                new ParseStep.Factory(),
                new ValidateStep.Factory(),
                new FilterStep.Factory(),
                new MapStep.Factory(),
                new FieldSteps.Set(),
                new FieldSteps.Rename(),
                new FieldSteps.Drop(),
                new FieldSteps.Keep(),
                new NormalizeStep.Factory(),
                new EnrichStep.Factory(),
                new RouteStep.Factory(),
                new DedupeStep.Factory(),
                new ExplodeStep.Factory(),
                new KeyStep.Factory(),
                new PartitionByStep.Factory(),
                new WindowStep.Factory(),
                new JoinFactory(),
                new ProcessStep.Factory())) {
            m.put(f.kind(), f);
        }
        ServiceLoader.load(StepFactory.class).forEach(f -> m.putIfAbsent(f.kind(), f));
        return m;
    }

    public static List<String> kinds() {
        return List.copyOf(FACTORIES.keySet());
    }

    public static StepFactory factory(String kind) {
        return FACTORIES.get(kind);
    }

    /**
     * @throws PipelineException for an unknown kind ("did you mean") or a bad argument
     */
    public static Step create(StepSpec spec, StepContext context) {
        StepFactory f = FACTORIES.get(spec.kind());
        if (f == null) {
            throw new PipelineException(
                    spec.location(),
                    "unknown step '" + spec.kind() + "'." + Args.suggest(spec.kind(), FACTORIES.keySet()) + " Steps: "
                            + String.join(", ", FACTORIES.keySet()) + ".");
        }
        return f.create(spec, context);
    }

    /** Topics a step sends events to besides the stage output (for route steps), so they can be checked. */
    public static List<String> extraTargets(Step step) {
        return step instanceof RouteStep r ? r.targets() : List.of();
    }

    /** Topics a step reads besides the stage input (the table of a join), so they can be checked. */
    public static List<String> extraSources(Step step) {
        return step instanceof TableJoinStep t ? List.of(t.table()) : List.of();
    }

    /** What the runtime needs to know of a join with another stream. */
    public record StreamJoin(String stream, String on, String otherOn) {}

    /** The join with another stream a step makes, or null if it is not such a join. */
    public static StreamJoin streamJoin(Step step) {
        return step instanceof StreamJoinStep j
                ? new StreamJoin(j.otherTopic(), j.on().toString(), j.otherOn().toString())
                : null;
    }

    /**
     * The fields a window or process step keeps its state by (null for the event key), or null if the step is neither.
     */
    public static List<String> groupedBy(Step step) {
        if (step instanceof WindowStep w) {
            return w.groupedBy();
        }
        return step instanceof ProcessStep p ? p.groupedBy() : null;
    }

    /** Topics a step writes to that the runtime creates when the pipeline does not declare them (late events). */
    public static List<String> ownTopics(Step step) {
        return step instanceof StatefulStep s ? s.ownTopics() : List.of();
    }
}
