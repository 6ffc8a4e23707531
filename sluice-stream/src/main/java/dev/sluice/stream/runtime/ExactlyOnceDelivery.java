package dev.sluice.stream.runtime;

import dev.sluice.broker.CommitFailedException;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.Event;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.TransactionalProducer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Outputs, dead letters and the batch's offsets in one broker transaction per batch: readers with {@code
 * read_committed} see each result exactly once. When the transaction fails, it is aborted and the task seeks back to
 * the start of the batch in the partitions it still owns, so the batch is processed again.
 */
final class ExactlyOnceDelivery implements Delivery {
    private final TransactionalProducer producer;
    private final Consumer consumer;
    private final Metrics metrics;
    private boolean open;
    private final SendErrors errors = new SendErrors();

    ExactlyOnceDelivery(TransactionalProducer producer, Consumer consumer, Metrics metrics) {
        this.producer = producer;
        this.consumer = consumer;
        this.metrics = metrics;
    }

    @Override
    public void begin() {
        producer.begin();
        errors.clear();
        open = true;
    }

    @Override
    public void send(String topic, Event event) {
        producer.send(topic, event, errors);
    }

    @Override
    public void send(TopicPartition partition, Event event) {
        producer.send(partition, event, errors);
    }

    /**
     * Commits the transaction. When the group moved on or the producer was fenced, the transaction is aborted and the
     * batch is read again; when a send failed, the transaction is aborted and the failure stops the task, as in
     * at-least-once (reading the batch again would fail the same way forever).
     */
    @Override
    public boolean complete(List<ConsumedEvent> batch) {
        open = false;
        try {
            errors.check(); // sends refused before they reached the broker, which the transaction does not know of
            producer.commit(positions(batch), consumer); // flushes; fails if any send of the transaction failed
            return true;
        } catch (CommitFailedException e) {
            producer.abort();
            metrics.lastError.set("transaction aborted, the batch is read again: " + e.getMessage());
            rewind(batch);
            return false;
        } catch (RuntimeException e) {
            producer.abort();
            throw e;
        }
    }

    /**
     * The consumer's positions in the batch's partitions: past the batch, and past the transaction markers that
     * follow it when the input is itself written in transactions (so the lag can reach zero).
     */
    private Map<TopicPartition, Long> positions(List<ConsumedEvent> batch) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumedEvent e : batch) {
            next.computeIfAbsent(e.topicPartition(), consumer::position);
        }
        return next;
    }

    private void rewind(List<ConsumedEvent> batch) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumedEvent e : batch) {
            first.merge(e.topicPartition(), e.offset(), Math::min);
        }
        Set<TopicPartition> owned = consumer.assignment();
        first.forEach((tp, offset) -> {
            if (owned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    @Override
    public void close() {
        if (open) {
            producer.abort(); // stopped in the middle of a batch: it is read again after a restart
        }
        producer.close();
    }
}
