package dev.sluice.stream.spec;

import java.util.Map;

/**
 * A topic the pipeline creates if it is missing.
 *
 * @param config topic settings by key (retention.ms, cleanup.policy, ...)
 */
public record TopicSpec(String name, int partitions, Map<String, String> config, Location location) {
    public TopicSpec {
        config = Map.copyOf(config);
    }
}
