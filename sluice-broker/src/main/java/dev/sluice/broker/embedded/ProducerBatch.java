package dev.sluice.broker.embedded;

import dev.sluice.broker.Event;
import dev.sluice.broker.SendResult;
import dev.sluice.broker.TopicPartition;
import dev.sluice.log.AppendResult;
import dev.sluice.log.record.Header;
import dev.sluice.log.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Events on their way to one partition, encoded straight into a pooled buffer, with one future per event. Guarded by
 * the lock of the partition's queue until the sender takes it; then owned by the sender.
 */
final class ProducerBatch {
    final TopicPartition topicPartition;
    final ByteBuffer buffer;
    final RecordBatchBuilder builder;
    final long createdNanos = System.nanoTime();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final List<CompletableFuture<SendResult>> futures = new ArrayList<>();
    private long[] timestamps = new long[64];
    /** Set when the sender takes the batch; no event may be added after. */
    boolean sealed;

    /** @param limit the most bytes the batch may take: the buffer's capacity or the topic's max.message.bytes */
    ProducerBatch(TopicPartition topicPartition, ByteBuffer buffer, int limit) {
        this.topicPartition = topicPartition;
        this.buffer = buffer;
        this.builder = new RecordBatchBuilder(buffer.slice(0, limit));
    }

    /** Adds the event unless the batch is sealed or full. */
    boolean tryAppend(Event event, CompletableFuture<SendResult> future) {
        if (sealed || !builder.tryAppend(event.timestamp(), event.key(), event.value(), toLogHeaders(event))) {
            return false;
        }
        int n = futures.size();
        if (n == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, n * 2);
        }
        timestamps[n] = event.timestamp();
        futures.add(future);
        return true;
    }

    int size() {
        return futures.size();
    }

    void complete(AppendResult result) {
        for (int i = 0; i < futures.size(); i++) {
            futures.get(i).complete(new SendResult(topicPartition, result.baseOffset() + i, timestamps[i]));
        }
        done.complete(null);
    }

    void fail(RuntimeException error) {
        for (CompletableFuture<SendResult> f : futures) {
            f.completeExceptionally(error);
        }
        done.complete(null);
    }

    /** The exact size of a batch holding only this event. */
    static int sizeAlone(Event event) {
        return RecordBatchBuilder.sizeOfSingleRecordBatch(event.key(), event.value(), toLogHeaders(event));
    }

    /** An upper bound of {@link #sizeAlone}, cheap enough for every send. */
    static long sizeBound(Event event) {
        long size = 128
                + (event.key() == null ? 0 : event.key().length)
                + (event.value() == null ? 0 : event.value().length);
        for (dev.sluice.broker.Header h : event.headers()) {
            size += 16 + 3L * h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    static List<Header> toLogHeaders(Event event) {
        List<dev.sluice.broker.Header> headers = event.headers();
        if (headers.isEmpty()) {
            return List.of();
        }
        List<Header> out = new ArrayList<>(headers.size());
        for (dev.sluice.broker.Header h : headers) {
            out.add(new Header(h.key(), h.value()));
        }
        return out;
    }
}
