package dev.sluice.stream.spec;

import java.util.Map;

/**
 * A source connector that publishes to a topic.
 *
 * @param type the connector type, such as {@code generator} or {@code file}
 * @param config the connector's own settings
 */
public record SourceSpec(String name, String type, String to, Map<String, Object> config, Location location) {
    public SourceSpec {
        config = Map.copyOf(config);
    }
}
