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

/**
 * The SPI producer over Kafka's. Keys pick partitions with Kafka's own partitioner (murmur2, as the embedded broker);
 * keyless events stick to a partition per batch. Thread-safe.
 */
final class KafkaEventProducer implements Producer {
    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicCatalog topics;
    private final RecordSender sender;

    KafkaEventProducer(ClientSettings settings, ProducerConfig config, TopicCatalog topics) {
        this.producer = new KafkaProducer<>(settings.producer(config, null));
        this.topics = topics;
        this.sender = new RecordSender(producer, topics, settings.url());
    }

    @Override
    public CompletableFuture<SendResult> send(String topic, Event event) {
        return sender.send(topic, null, event);
    }

    @Override
    public void send(String topic, Event event, SendCallback callback) {
        sender.send(topic, event, callback);
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
        return sender.send(tp.topic(), tp.partition(), event);
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
