package dev.sluice.stream.spec;

import java.util.List;

/**
 * A whole pipeline, as written in YAML or with the Java DSL: both build this model.
 *
 * @param broker the broker URL, such as {@code embedded:./data}
 */
public record PipelineSpec(
        String name, String broker, List<TopicSpec> topics, List<SourceSpec> sources, List<StageSpec> stages) {

    public PipelineSpec {
        topics = List.copyOf(topics);
        sources = List.copyOf(sources);
        stages = List.copyOf(stages);
    }
}
