package dev.sluice.kafka;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.Event;
import dev.sluice.broker.Producer.SendCallback;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends SPI events through a Kafka producer, checking first that the topic exists (Kafka's producer would wait {@code
 * max.block.ms} for it) and translating errors. Shared by the plain and the transactional producer. Thread-safe.
 */
final class RecordSender {
    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicCatalog topics;
    private final KafkaUrl url;

    RecordSender(KafkaProducer<byte[], byte[]> producer, TopicCatalog topics, KafkaUrl url) {
        this.producer = producer;
        this.topics = topics;
        this.url = url;
    }

    /** @param partition null to let the key choose */
    CompletableFuture<SendResult> send(String topic, Integer partition, Event event) {
        CompletableFuture<SendResult> result = new CompletableFuture<>();
        try {
            topics.partitions(topic);
            producer.send(record(topic, partition, event), (meta, error) -> {
                if (error != null) {
                    result.completeExceptionally(KafkaErrors.translate(error, "sending to " + topic, url));
                } else {
                    result.complete(new SendResult(
                            new TopicPartition(meta.topic(), meta.partition()), meta.offset(), meta.timestamp()));
                }
            });
        } catch (BrokerException e) {
            result.completeExceptionally(e);
        } catch (RuntimeException e) {
            result.completeExceptionally(KafkaErrors.translate(e, "sending to " + topic, url));
        }
        return result;
    }

    void send(String topic, Event event, SendCallback callback) {
        try {
            topics.partitions(topic);
            producer.send(
                    record(topic, null, event),
                    (meta, error) -> callback.onCompletion(
                            error == null ? null : KafkaErrors.translate(error, "sending to " + topic, url)));
        } catch (RuntimeException e) {
            callback.onCompletion(KafkaErrors.translate(e, "sending to " + topic, url));
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, Integer partition, Event event) {
        return new ProducerRecord<>(
                topic, partition, event.timestamp(), event.key(), event.value(), KafkaRecords.headers(event));
    }
}
