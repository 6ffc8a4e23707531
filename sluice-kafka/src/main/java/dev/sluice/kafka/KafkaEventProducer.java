package dev.sluice.kafka;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.Event;
import dev.sluice.broker.Producer;
import dev.sluice.broker.ProducerConfig;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.UnknownTopicException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The SPI producer over Kafka's. Keys pick partitions with Kafka's own partitioner (murmur2, as the embedded broker);
 * keyless events stick to a partition per batch. Thread-safe.
 */
final class KafkaEventProducer implements Producer {
    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicCatalog topics;
    private final KafkaUrl url;

    KafkaEventProducer(ClientSettings settings, ProducerConfig config, TopicCatalog topics) {
        this.producer = new KafkaProducer<>(settings.producer(config, null));
        this.topics = topics;
        this.url = settings.url();
    }

    @Override
    public CompletableFuture<SendResult> send(String topic, Event event) {
        try {
            topics.partitions(topic);
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(new ProducerRecord<>(
                topic, null, event.timestamp(), event.key(), event.value(), KafkaRecords.headers(event)));
    }

    @Override
    public CompletableFuture<SendResult> send(TopicPartition tp, Event event) {
        try {
            int partitions = topics.partitions(tp.topic());
            if (tp.partition() < 0 || tp.partition() >= partitions) {
                return CompletableFuture.failedFuture(UnknownTopicException.partition(tp, partitions));
            }
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(new ProducerRecord<>(
                tp.topic(),
                tp.partition(),
                event.timestamp(),
                event.key(),
                event.value(),
                KafkaRecords.headers(event)));
    }

    private CompletableFuture<SendResult> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<SendResult> result = new CompletableFuture<>();
        try {
            producer.send(record, (meta, error) -> {
                if (error != null) {
                    result.completeExceptionally(KafkaErrors.translate(error, "sending to " + record.topic(), url));
                } else {
                    result.complete(new SendResult(
                            new TopicPartition(meta.topic(), meta.partition()), meta.offset(), meta.timestamp()));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(KafkaErrors.translate(e, "sending to " + record.topic(), url));
        }
        return result;
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
