package dev.sluice.stream.spec;

import java.util.Map;

/** Where a stage delivers what its steps produce. */
public sealed interface Output {
    /** Events are published to a topic (a {@code route} step may pick another one per event). */
    record ToTopic(String topic) implements Output {}

    /** Events are written by a sink connector. */
    record ToSink(String type, Map<String, Object> config) implements Output {
        public ToSink {
            config = Map.copyOf(config);
        }
    }
}
