package dev.sluice.stream.spec;

import java.util.Map;

/**
 * A topic the pipeline creates if it is missing.
 *
 * @param config topic settings by key (retention.ms, cleanup.policy, ...)
 * @param create whether the pipeline creates the topic when it is missing; if not, a missing topic stops it with an
 *     error (for topics owned by someone else, such as a production cluster's)
 */
public record TopicSpec(String name, int partitions, Map<String, String> config, boolean create, Location location) {
    public TopicSpec {
        config = Map.copyOf(config);
    }

    public TopicSpec(String name, int partitions, Map<String, String> config, Location location) {
        this(name, partitions, config, true, location);
    }
}
