package dev.sluice.kafka;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.Event;
import dev.sluice.broker.Producer.SendCallback;
import dev.sluice.broker.ProducerConfig;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.TransactionalProducer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * Kafka transactions for exactly-once stages: the batch's events and the consumer group's offsets commit together
 * ({@code sendOffsetsToTransaction} with the consumer's group metadata, so a member the group has moved on from is
 * fenced). A transaction left open by a killed process is aborted by the broker after {@code transaction.timeout.ms}
 * (10 s unless set under {@code kafka:}). When this producer is fenced (its transaction ran past that timeout, or a
 * newer one took over), it starts again as a new producer and the batch is read again. Owned by one thread.
 */
final class KafkaTransactionalProducer implements TransactionalProducer {
    private final ClientSettings settings;
    private final String idPrefix;
    private final TopicCatalog topics;
    private KafkaProducer<byte[], byte[]> producer;
    private RecordSender sender;
    private boolean open;

    KafkaTransactionalProducer(ClientSettings settings, String idPrefix, TopicCatalog topics) {
        this.settings = settings;
        this.idPrefix = idPrefix;
        this.topics = topics;
        start();
    }

    private void start() {
        String id = idPrefix + "-" + UUID.randomUUID();
        producer = new KafkaProducer<>(settings.producer(ProducerConfig.defaults(), id));
        sender = new RecordSender(producer, topics, settings.url());
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw KafkaErrors.translate(e, "starting transactions for " + id, settings.url());
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
    public void send(String topic, Event event, SendCallback callback) {
        sender.send(topic, event, callback);
    }

    @Override
    public void send(dev.sluice.broker.TopicPartition partition, Event event, SendCallback callback) {
        sender.send(partition.topic(), partition.partition(), event)
                .whenComplete((result, error) -> callback.onCompletion(error));
    }

    /**
     * @throws dev.sluice.broker.CommitFailedException the group moved on or this producer was fenced: the batch is to be read again
     * @throws BrokerException anything else (a send the broker refused, for one): the transaction is aborted
     */
    @Override
    public void commit(Map<TopicPartition, Long> offsets, Consumer consumer) {
        if (!(consumer instanceof KafkaEventConsumer kafkaConsumer)) {
            throw new IllegalArgumentException("a Kafka transaction commits the offsets of a Kafka consumer only");
        }
        try {
            producer.sendOffsetsToTransaction(
                    KafkaEventConsumer.kafkaOffsets(offsets),
                    kafkaConsumer.kafkaConsumer().groupMetadata());
            commitRetryingTimeouts();
            open = false;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            restart();
            throw new dev.sluice.broker.CommitFailedException(
                    "this task's transactional producer was fenced (a transaction longer than"
                            + " transaction.timeout.ms, or a newer producer); reading the batch again: "
                            + e.getMessage(),
                    e);
        } catch (KafkaException e) {
            abort();
            if (groupMovedOn(e)) {
                throw new dev.sluice.broker.CommitFailedException(
                        "the consumer group moved on during the transaction; reading the batch again: "
                                + e.getMessage(),
                        e);
            }
            throw KafkaErrors.translate(e, "committing a transaction", settings.url());
        }
    }

    /**
     * A commit that timed out may still complete at the broker, so it is retried (as Kafka requires), never aborted:
     * aborting and reading the batch again could publish its results twice.
     */
    private void commitRetryingTimeouts() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt == 3) {
                    throw new BrokerException(
                            "committing a transaction on " + settings.url() + " timed out three"
                                    + " times; the stage stops rather than risk publishing a batch twice: "
                                    + e.getMessage(),
                            e);
                }
            }
        }
    }

    private static boolean groupMovedOn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CommitFailedException
                    || t instanceof RebalanceInProgressException
                    || t instanceof IllegalGenerationException
                    || t instanceof UnknownMemberIdException
                    || t instanceof FencedInstanceIdException
                    || t instanceof TransactionAbortedException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void abort() {
        if (!open) {
            return;
        }
        open = false;
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            restart();
        } catch (RuntimeException e) {
            // timed out, or the producer is in a fatal state: start a new one; the broker aborts the old transaction
            restart();
        }
    }

    /** Drops a producer that can no longer be used and starts a new one under a new transactional id. */
    private void restart() {
        open = false;
        producer.close(Duration.ZERO);
        start();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
