package dev.sluice.kafka;

import static dev.sluice.kafka.KafkaRecords.kafka;
import static dev.sluice.kafka.KafkaRecords.sluice;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.OffsetOutOfRangeException;
import dev.sluice.broker.RebalanceListener;
import dev.sluice.broker.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;

/**
 * The SPI consumer over Kafka's: a group member with the cooperative sticky assignor (only partitions that move are
 * revoked), auto-commit off, positions committed by the caller. Not thread-safe, as Kafka's consumer; {@link #wakeup}
 * may be called from any thread.
 */
final class KafkaEventConsumer implements Consumer {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConsumerConfig config;
    private final TopicCatalog topics;
    private final KafkaUrl url;

    KafkaEventConsumer(ClientSettings settings, ConsumerConfig config, TopicCatalog topics) {
        this.consumer = new KafkaConsumer<>(settings.consumer(config));
        this.config = config;
        this.topics = topics;
        this.url = settings.url();
    }

    /** Kafka's consumer, for the transactional stage runner (its group metadata goes with each transaction). */
    KafkaConsumer<byte[], byte[]> kafkaConsumer() {
        return consumer;
    }

    @Override
    public void subscribe(Collection<String> names, RebalanceListener listener) {
        if (config.groupId() == null) {
            throw new IllegalStateException("A consumer without a group id cannot subscribe; use assign.");
        }
        for (String topic : names) {
            topics.partitions(topic);
        }
        consumer.subscribe(List.copyOf(names), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    listener.onPartitionsRevoked(sluice(partitions));
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    listener.onPartitionsAssigned(sluice(partitions));
                }
            }

            @Override
            public void onPartitionsLost(Collection<org.apache.kafka.common.TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    listener.onPartitionsLost(sluice(partitions));
                }
            }
        });
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            topics.partitions(tp.topic());
        }
        consumer.assign(kafka(partitions));
    }

    @Override
    public Set<TopicPartition> assignment() {
        return new TreeSet<>(sluice(consumer.assignment()));
    }

    @Override
    public List<ConsumedEvent> poll(Duration timeout) {
        return call("polling", () -> {
            List<ConsumedEvent> out = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
                out.add(KafkaRecords.event(r));
            }
            return out;
        });
    }

    @Override
    public void commitSync() {
        call("committing offsets of group " + config.groupId(), () -> {
            consumer.commitSync();
            return null;
        });
    }

    @Override
    public void commitSync(Map<TopicPartition, Long> offsets) {
        call("committing offsets of group " + config.groupId(), () -> {
            consumer.commitSync(kafkaOffsets(offsets));
            return null;
        });
    }

    @Override
    public void commitAsync(CommitCallback callback) {
        consumer.commitAsync((offsets, error) -> {
            Map<TopicPartition, Long> done = new HashMap<>();
            offsets.forEach((tp, o) -> done.put(sluice(tp), o.offset()));
            callback.onComplete(
                    done,
                    error == null
                            ? null
                            : KafkaErrors.translate(error, "committing offsets of group " + config.groupId(), url));
        });
    }

    @Override
    public Map<TopicPartition, Long> committed(Set<TopicPartition> partitions) {
        return call("reading the offsets of group " + config.groupId(), () -> {
            Map<TopicPartition, Long> out = new HashMap<>();
            consumer.committed(Set.copyOf(kafka(partitions))).forEach((tp, o) -> {
                if (o != null) {
                    out.put(sluice(tp), o.offset());
                }
            });
            return out;
        });
    }

    @Override
    public long position(TopicPartition partition) {
        return call("reading the position of " + partition, () -> consumer.position(kafka(partition)));
    }

    @Override
    public void seek(TopicPartition tp, long offset) {
        var k = kafka(tp);
        long start = call(
                "reading the offsets of " + tp,
                () -> consumer.beginningOffsets(List.of(k)).get(k));
        long end = call(
                "reading the offsets of " + tp,
                () -> consumer.endOffsets(List.of(k)).get(k));
        if (offset < start || offset > end) {
            throw OffsetOutOfRangeException.seek(tp, offset, start, end);
        }
        call("seeking " + tp, () -> {
            consumer.seek(k, offset);
            return null;
        });
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) { // Kafka's consumer takes an empty collection to mean every partition
            consumer.seekToBeginning(kafka(partitions));
        }
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            consumer.seekToEnd(kafka(partitions));
        }
    }

    @Override
    public void seekToTimestamp(Collection<TopicPartition> partitions, long timestamp) {
        Map<org.apache.kafka.common.TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition tp : partitions) {
            query.put(kafka(tp), timestamp);
        }
        Map<org.apache.kafka.common.TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        List<org.apache.kafka.common.TopicPartition> toEnd = new ArrayList<>();
        found.forEach((tp, at) -> {
            if (at == null) {
                toEnd.add(tp);
            } else {
                consumer.seek(tp, at.offset());
            }
        });
        if (!toEnd.isEmpty()) {
            consumer.seekToEnd(toEnd);
            toEnd.forEach(consumer::position); // resolve now, so position() answers the end
        }
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(30)));
    }

    static Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> kafkaOffsets(
            Map<TopicPartition, Long> offsets) {
        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        offsets.forEach((tp, o) -> out.put(kafka(tp), new OffsetAndMetadata(o)));
        return out;
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw KafkaErrors.translate(e, what, url);
        }
    }
}
