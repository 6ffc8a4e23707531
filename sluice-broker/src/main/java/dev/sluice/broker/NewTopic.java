package dev.sluice.broker;

import java.util.Map;

/**
 * A topic to create.
 *
 * @param config topic settings by key ({@code retention.ms}, {@code cleanup.policy}, ...); unset keys take defaults
 */
public record NewTopic(String name, int partitions, Map<String, String> config) {
    public NewTopic {
        config = Map.copyOf(config);
    }

    public static NewTopic of(String name, int partitions) {
        return new NewTopic(name, partitions, Map.of());
    }
}
