package dev.sluice.stream.runtime;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.Consumer;
import dev.sluice.broker.Event;
import dev.sluice.broker.Producer;
import dev.sluice.broker.TopicPartition;
import java.util.List;

/**
 * Outputs through the pipeline's shared producer; offsets committed once every output is acknowledged. A crash
 * between the two delivers the batch again (at-least-once).
 */
final class AtLeastOnceDelivery implements Delivery {
    private final Producer producer;
    private final Consumer consumer;
    private final Metrics metrics;
    private final SendErrors errors = new SendErrors();
    private boolean sent;
    private boolean owesCommit;
    private final boolean commitEachBatch;

    /**
     * @param commitEachBatch commit the consumed positions after each batch; false for stages with state, whose
     *     positions are committed with their checkpoints
     */
    AtLeastOnceDelivery(Producer producer, Consumer consumer, Metrics metrics, boolean commitEachBatch) {
        this.producer = producer;
        this.consumer = consumer;
        this.metrics = metrics;
        this.commitEachBatch = commitEachBatch;
    }

    @Override
    public void begin() {
        errors.clear();
        sent = false;
    }

    @Override
    public void send(String topic, Event event) {
        sent = true;
        producer.send(topic, event, errors);
    }

    @Override
    public void send(TopicPartition partition, Event event) {
        sent = true;
        producer.send(partition, event).whenComplete((result, error) -> errors.onCompletion(error));
    }

    /**
     * A member expelled from its group (its sink was retried longer than the poll interval), a group in the middle of
     * a rebalance, or a broker that is briefly away cannot take the commit; the positions are committed with the next
     * batch (or, when none comes, while the task is idle), or the batch is delivered again to the partition's next
     * owner, as at-least-once allows.
     */
    @Override
    public boolean complete(List<ConsumedEvent> batch) {
        if (sent) {
            producer.flush(); // sends at once what would wait for more (a linger), and waits for every acknowledgement
        }
        errors.check();
        if (!commitEachBatch) {
            return true;
        }
        owesCommit = true;
        try {
            consumer.commitSync();
            owesCommit = false;
            return true;
        } catch (dev.sluice.broker.CommitFailedException e) {
            metrics.lastError.set(e.getMessage());
            return false;
        } catch (BrokerException e) {
            if (!e.isRetriable()) {
                throw e;
            }
            metrics.lastError.set(e.getMessage());
            return false;
        }
    }

    @Override
    public boolean owesCommit() {
        return owesCommit;
    }
}
