package dev.sluice.broker.embedded;

import dev.sluice.broker.BrokerException;
import dev.sluice.broker.Event;
import dev.sluice.broker.KeyPartitioner;
import dev.sluice.broker.Producer;
import dev.sluice.broker.ProducerConfig;
import dev.sluice.broker.RecordTooLargeException;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.broker.UnknownTopicException;
import dev.sluice.log.AppendResult;
import dev.sluice.log.Log;
import dev.sluice.log.PartitionLog;
import dev.sluice.log.Topic;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The embedded producer: sending threads encode events into per-partition batches ({@link RecordAccumulator}); one
 * sender thread appends ready batches to the log and completes their futures (for {@code flush.policy=always}, on the
 * log's flusher thread after the covering fsync). Thread-safe.
 */
final class EmbeddedProducer implements Producer {
    private final Log log;
    private final RecordAccumulator accumulator;
    private final Waker senderWaker = new Waker();
    private final Thread sender;
    private final Consumer<EmbeddedProducer> onClose;
    private volatile boolean closing;
    private volatile boolean flushRequested;

    EmbeddedProducer(Log log, ProducerConfig config, Consumer<EmbeddedProducer> onClose) {
        this.log = log;
        this.onClose = onClose;
        this.accumulator = new RecordAccumulator(
                new BufferPool(config.bufferBytes(), config.batchBytes()), config.lingerMs(), config.maxBlockMs());
        this.sender = new Thread(this::runSender, "sluice-producer-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public CompletableFuture<SendResult> send(String topic, Event event) {
        Topic t = writable(topic);
        if (t == null) {
            return failed(refusal(topic));
        }
        RecordAccumulator.TopicQueues queues = accumulator.queues(t);
        int partitions = t.partitionCount();
        int partition = event.key() != null
                ? KeyPartitioner.partition(event.key(), partitions)
                : Math.floorMod(queues.stickyPartition.get(), partitions);
        return append(queues, partition, event);
    }

    @Override
    public CompletableFuture<SendResult> send(TopicPartition tp, Event event) {
        Topic t = writable(tp.topic());
        if (t == null) {
            return failed(refusal(tp.topic()));
        }
        if (tp.partition() < 0 || tp.partition() >= t.partitionCount()) {
            return failed(UnknownTopicException.partition(tp, t.partitionCount()));
        }
        return append(accumulator.queues(t), tp.partition(), event);
    }

    private CompletableFuture<SendResult> append(RecordAccumulator.TopicQueues queues, int partition, Event event) {
        if (closing) {
            return failed(new BrokerException("The producer is closed."));
        }
        int maxBytes = queues.topic.partition(partition).config().maxMessageBytes(); // as altered last
        if (ProducerBatch.sizeBound(event) > maxBytes) {
            int exactSize = ProducerBatch.sizeAlone(event);
            if (exactSize > maxBytes) {
                return failed(new RecordTooLargeException("An event of " + exactSize + " bytes (with batch overhead)"
                        + " is larger than " + queues.topic.name() + "'s max.message.bytes of " + maxBytes + ". Send"
                        + " smaller events, or raise it: sluice topics alter " + queues.topic.name()
                        + " --config max.message.bytes=<bytes>"));
            }
        }
        CompletableFuture<SendResult> future = new CompletableFuture<>();
        try {
            if (accumulator.append(queues, partition, event, future, maxBytes)) {
                if (event.key() == null) {
                    queues.stickyPartition.incrementAndGet(); // the next batch of key-less events goes elsewhere
                }
                senderWaker.wake();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(new BrokerException("Interrupted while waiting for producer buffer space."));
        } catch (BrokerException e) {
            return failed(e);
        }
        return future;
    }

    private void runSender() {
        while (true) {
            senderWaker.reset();
            boolean all = flushRequested || closing;
            List<ProducerBatch> ready = accumulator.drain(all);
            for (ProducerBatch batch : ready) {
                store(batch);
            }
            if (ready.isEmpty()) {
                if (closing && accumulator.isEmpty()) {
                    return;
                }
                long wait = accumulator.nanosUntilReady();
                senderWaker.await(wait < 0 || all ? TimeUnit.MILLISECONDS.toNanos(100) : Math.max(wait, 1000));
            }
        }
    }

    private void store(ProducerBatch batch) {
        CompletableFuture<AppendResult> appended;
        try {
            PartitionLog partition =
                    log.topic(batch.topicPartition.topic()).partition(batch.topicPartition.partition());
            appended = partition.appendAsync(batch.builder.build());
        } catch (RuntimeException e) {
            accumulator.release(batch.buffer);
            batch.fail(Errors.translate(e));
            accumulator.completed(batch);
            return;
        }
        accumulator.release(batch.buffer); // the bytes are in the log file now; only durability is pending
        appended.whenComplete((result, error) -> {
            if (error != null) {
                batch.fail(Errors.translate(error));
            } else {
                batch.complete(result);
            }
            accumulator.completed(batch);
        });
    }

    @Override
    public void flush() {
        List<CompletableFuture<Void>> pending = accumulator.inFlight();
        flushRequested = true;
        senderWaker.wake();
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        } finally {
            flushRequested = false;
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        flush();
        closing = true;
        senderWaker.wake();
        try {
            sender.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // a send that slipped in while the sender was exiting must not wait forever
        for (ProducerBatch late : accumulator.drain(true)) {
            accumulator.release(late.buffer);
            late.fail(new BrokerException("The producer was closed before this event was sent."));
            accumulator.completed(late);
        }
        onClose.accept(this);
    }

    /** The topic, if producers may write to it: it exists and is not one of the broker's own. */
    private Topic writable(String topic) {
        return EmbeddedAdmin.isInternal(topic) ? null : log.findTopic(topic).orElse(null);
    }

    /** Why {@link #writable} said no. */
    private BrokerException refusal(String topic) {
        if (EmbeddedAdmin.isInternal(topic)) {
            return new dev.sluice.broker.InvalidTopicException("Topic '" + topic + "' is internal to Sluice (as every"
                    + " name starting with '__' is) and takes no events from producers. Send to a topic of your own.");
        }
        return unknownTopic(topic);
    }

    private BrokerException unknownTopic(String topic) {
        try {
            log.topic(topic);
            return new UnknownTopicException("Topic '" + topic + "' does not exist.");
        } catch (RuntimeException e) {
            return Errors.translate(e);
        }
    }

    private static CompletableFuture<SendResult> failed(BrokerException e) {
        return CompletableFuture.failedFuture(e);
    }
}
