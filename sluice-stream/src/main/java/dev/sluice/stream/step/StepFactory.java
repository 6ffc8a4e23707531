package dev.sluice.stream.step;

import dev.sluice.stream.spec.StepSpec;

/**
 * Builds steps of one kind from their written form. Built-in kinds are listed in {@link Steps}; more can be added
 * with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.sluice.stream.step.StepFactory}).
 */
public interface StepFactory {
    /** The key that names the step in YAML, such as {@code filter}. */
    String kind();

    /** One line showing how the step is written, for error messages and docs. */
    String usage();

    /**
     * Checks the argument and builds a step; called once per task.
     *
     * @throws dev.sluice.stream.spec.PipelineException for a bad argument
     */
    Step create(StepSpec spec, StepContext context);
}
