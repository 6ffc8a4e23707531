package dev.sluice.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A topic to create.
 *
 * @param config topic settings by key ({@code retention.ms}, {@code cleanup.policy}, ...); unset keys take defaults
 */
public record NewTopic(String name, int partitions, Map<String, String> config) {
    /**
     * How many copies of each partition a replicating backend (Kafka) keeps; unset, the cluster's default. The
     * embedded log keeps one copy on its disk and ignores it.
     */
    public static final String REPLICATION_FACTOR = "replication.factor";

    public NewTopic {
        config = Map.copyOf(config);
    }

    public static NewTopic of(String name, int partitions) {
        return new NewTopic(name, partitions, Map.of());
    }

    /**
     * The {@link #REPLICATION_FACTOR} asked for, if any.
     *
     * @throws InvalidTopicException if it is not a whole number from 1 to 32767
     */
    public OptionalInt replicationFactor() {
        String value = config.get(REPLICATION_FACTOR);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= Short.MAX_VALUE) {
                return OptionalInt.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidTopicException("Invalid value '" + value + "' for " + REPLICATION_FACTOR + " of topic '" + name
                + "': write a whole number of copies, such as 3.");
    }

    /** The settings of the stored log: {@link #config()} without {@link #REPLICATION_FACTOR}. */
    public Map<String, String> logConfig() {
        Map<String, String> m = new LinkedHashMap<>(config);
        m.remove(REPLICATION_FACTOR);
        return m;
    }
}
