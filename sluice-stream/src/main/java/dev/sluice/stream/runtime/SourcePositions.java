package dev.sluice.stream.runtime;

import dev.sluice.broker.Broker;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.Event;
import dev.sluice.broker.NewTopic;
import dev.sluice.broker.Producer;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.json.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where each source got to, kept in the compacted topic {@value #TOPIC} (key {@code pipeline/source}, value the
 * position as JSON), written only after the events before it were acknowledged. Thread-safe.
 */
final class SourcePositions {
    static final String TOPIC = "_sluice.source-positions";

    private final Broker broker;
    private final Producer producer;

    SourcePositions(Broker broker, Producer producer) {
        this.broker = broker;
        this.producer = producer;
        broker.admin()
                .createTopicIfMissing(
                        new NewTopic(TOPIC, 1, Map.of("cleanup.policy", "compact", "flush.policy", "always")));
    }

    /** The last stored position of a source, or null. */
    @SuppressWarnings("unchecked")
    Map<String, Object> load(String pipeline, String source) {
        String key = pipeline + "/" + source;
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        long end = broker.admin().endOffsets(List.of(tp)).get(tp);
        Map<String, Object> last = null;
        try (Consumer c = broker.consumer(ConsumerConfig.defaults().withMaxPollEvents(10_000))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            while (c.position(tp) < end) {
                for (ConsumedEvent e : c.poll(Duration.ofSeconds(1))) {
                    if (key.equals(e.keyAsString())) {
                        last = e.value() == null ? null : (Map<String, Object>) (Map<?, ?>) Json.parseObject(e.value());
                    }
                }
            }
        }
        return last == null ? null : new HashMap<>(last);
    }

    /**
     * Stores the position of a source; the future completes when the broker has it, or fails naming the source.
     * Positions of one source are stored in the order given.
     */
    CompletableFuture<SendResult> store(String pipeline, String source, Map<String, Object> position) {
        return producer.send(
                        TOPIC,
                        Event.of(
                                (pipeline + "/" + source).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                Json.write(position),
                                System.currentTimeMillis()))
                .exceptionally(e -> {
                    throw new IllegalStateException(
                            "cannot store the position of source " + source + ": " + e.getMessage(), e);
                });
    }
}
