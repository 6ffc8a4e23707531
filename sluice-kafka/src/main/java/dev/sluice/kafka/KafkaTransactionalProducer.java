package dev.sluice.kafka;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.CommitFailedException;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.Event;
import dev.sluice.broker.ProducerConfig;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.TransactionalProducer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * Kafka transactions for exactly-once stages: the batch's events and the consumer group's offsets commit together
 * ({@code sendOffsetsToTransaction} with the consumer's group metadata, so a member the group has moved on from is
 * fenced). A transaction left open by a killed process is aborted by the broker after {@code transaction.timeout.ms}
 * (10 s unless set under {@code kafka:}). Owned by one thread.
 */
final class KafkaTransactionalProducer implements TransactionalProducer {
    private final KafkaProducer<byte[], byte[]> producer;
    private final RecordSender sender;
    private final KafkaUrl url;
    private boolean open;

    KafkaTransactionalProducer(ClientSettings settings, String id, TopicCatalog topics) {
        this.producer = new KafkaProducer<>(settings.producer(ProducerConfig.defaults(), id));
        this.sender = new RecordSender(producer, topics, settings.url());
        this.url = settings.url();
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw KafkaErrors.translate(e, "starting transactions for " + id, url);
        }
    }

    @Override
    public void begin() {
        producer.beginTransaction();
        open = true;
    }

    @Override
    public CompletableFuture<SendResult> send(String topic, Event event) {
        return sender.send(topic, null, event);
    }

    @Override
    public void send(String topic, Event event, dev.sluice.broker.Producer.SendCallback callback) {
        sender.send(topic, event, callback);
    }

    @Override
    public void commit(Map<TopicPartition, Long> offsets, Consumer consumer) {
        if (!(consumer instanceof KafkaEventConsumer kafkaConsumer)) {
            throw new IllegalArgumentException("a Kafka transaction commits the offsets of a Kafka consumer only");
        }
        try {
            producer.sendOffsetsToTransaction(
                    KafkaEventConsumer.kafkaOffsets(offsets),
                    kafkaConsumer.kafkaConsumer().groupMetadata());
            producer.commitTransaction();
            open = false;
        } catch (ProducerFencedException e) {
            open = false; // a fenced producer can neither commit nor abort; the broker aborts for it
            throw new CommitFailedException(
                    "a newer producer took over this stage's transactions: " + e.getMessage(), e);
        } catch (KafkaException e) {
            abort();
            BrokerException error = KafkaErrors.translate(e, "committing a transaction", url);
            throw error instanceof CommitFailedException c
                    ? c
                    : new CommitFailedException("the transaction was aborted: " + error.getMessage(), e);
        }
    }

    @Override
    public void abort() {
        if (!open) {
            return;
        }
        open = false;
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // fenced or timed out: the broker aborts it, and nothing of it becomes visible either way
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
