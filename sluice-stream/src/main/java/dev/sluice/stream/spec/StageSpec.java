package dev.sluice.stream.spec;

import java.util.List;

/**
 * A stage: consumes topics as a consumer group, runs steps on each event, and delivers the results. A sink is a stage
 * whose output is a sink connector.
 *
 * @param deadLetterTopic where events that fail go, with headers saying why
 * @param parallelism tasks (consumers) in this process; at most the partition count is useful
 * @param exactlyOnce outputs and offsets in one transaction per batch (topic-to-topic stages on brokers with
 *     transactions); otherwise at-least-once
 */
public record StageSpec(
        String name,
        List<String> from,
        List<StepSpec> steps,
        Output output,
        String deadLetterTopic,
        int parallelism,
        boolean exactlyOnce,
        Location location) {

    public StageSpec {
        from = List.copyOf(from);
        steps = List.copyOf(steps);
    }

    public boolean isSink() {
        return output instanceof Output.ToSink;
    }
}
