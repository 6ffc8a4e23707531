package dev.sluice.stream.spec;

import java.util.List;
import java.util.Map;

/**
 * A whole pipeline, as written in YAML or with the Java DSL: both build this model.
 *
 * @param broker the broker URL, such as {@code embedded:./data}
 * @param brokerOptions backend settings: for Kafka, client settings (the {@code kafka:} map of a pipeline file)
 */
public record PipelineSpec(
        String name,
        String broker,
        List<TopicSpec> topics,
        List<SourceSpec> sources,
        List<StageSpec> stages,
        Map<String, String> brokerOptions) {

    public PipelineSpec {
        topics = List.copyOf(topics);
        sources = List.copyOf(sources);
        stages = List.copyOf(stages);
        brokerOptions = Map.copyOf(brokerOptions);
    }

    public PipelineSpec(
            String name, String broker, List<TopicSpec> topics, List<SourceSpec> sources, List<StageSpec> stages) {
        this(name, broker, topics, sources, stages, Map.of());
    }
}
