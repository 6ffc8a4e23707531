package dev.sluice.stream.runtime;

import dev.sluice.broker.Broker;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reading what pipelines wrote, in tests. */
final class TopicReads {
    private TopicReads() {}

    /** Every event of partition 0 of a topic, up to where it goes quiet. */
    static List<ConsumedEvent> readAll(Broker broker, String topic) {
        List<ConsumedEvent> out = new ArrayList<>();
        try (Consumer c = broker.consumer(ConsumerConfig.defaults())) {
            c.assign(List.of(new TopicPartition(topic, 0)));
            for (List<ConsumedEvent> batch = c.poll(Duration.ofMillis(500));
                    !batch.isEmpty();
                    batch = c.poll(Duration.ofMillis(200))) {
                out.addAll(batch);
            }
        }
        return out;
    }

    /** A header's value as text, or null. */
    static String header(ConsumedEvent e, String name) {
        return e.headers().stream()
                .filter(h -> h.key().equals(name))
                .map(h -> h.valueAsString())
                .findFirst()
                .orElse(null);
    }
}
