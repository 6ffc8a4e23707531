package dev.sluice.broker.embedded;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.ConsumerConfig;
import dev.sluice.broker.CorruptDataException;
import dev.sluice.broker.Header;
import dev.sluice.broker.TopicPartition;
import dev.sluice.log.LogSlice;
import dev.sluice.log.OffsetOutOfRangeException;
import dev.sluice.log.PartitionLog;
import dev.sluice.log.record.CorruptRecordException;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The partitions a consumer reads, with their positions. Fetches rotate over the partitions so that a busy one does
 * not starve the others. Owned by the consumer's thread.
 */
final class Fetcher {
    private static final class State {
        final PartitionLog log;
        long position;

        State(PartitionLog log, long position) {
            this.log = log;
            this.position = position;
        }
    }

    private final ConsumerConfig config;
    private final Runnable wake;
    private final LinkedHashMap<TopicPartition, State> partitions = new LinkedHashMap<>();
    /** Reused for every read: events are copied out of it before the next one. */
    private final java.nio.ByteBuffer buffer;

    private int rotation;

    Fetcher(ConsumerConfig config, Runnable wake) {
        this.config = config;
        this.wake = wake;
        this.buffer = java.nio.ByteBuffer.allocateDirect(config.fetchBytes());
    }

    void assign(TopicPartition tp, PartitionLog log, long position) {
        partitions.put(tp, new State(log, position));
        log.addListener(wake);
    }

    void unassign(TopicPartition tp) {
        State s = partitions.remove(tp);
        if (s != null) {
            s.log.removeListener(wake);
        }
    }

    void unassignAll() {
        new ArrayList<>(partitions.keySet()).forEach(this::unassign);
    }

    Set<TopicPartition> assigned() {
        return new LinkedHashSet<>(partitions.keySet());
    }

    Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach((tp, s) -> out.put(tp, s.position));
        return out;
    }

    long position(TopicPartition tp) {
        return state(tp).position;
    }

    PartitionLog log(TopicPartition tp) {
        return state(tp).log;
    }

    void seek(TopicPartition tp, long offset) {
        state(tp).position = offset;
    }

    /**
     * Reads up to {@code maxPollEvents} events past the positions, and advances them.
     *
     * @param reset where to go when a position fell out of the log (retention deleted it)
     */
    List<ConsumedEvent> fetch(BiFunction<TopicPartition, PartitionLog, Long> reset) {
        List<ConsumedEvent> out = new ArrayList<>();
        if (partitions.isEmpty()) {
            return out;
        }
        List<TopicPartition> order = new ArrayList<>(partitions.keySet());
        int n = order.size();
        for (int i = 0; i < n && out.size() < config.maxPollEvents(); i++) {
            TopicPartition tp = order.get((rotation + i) % n);
            State s = partitions.get(tp);
            if (s.position < s.log.highWatermark() || s.position < s.log.logStartOffset()) {
                fetchFrom(tp, s, out, reset);
            }
        }
        rotation = (rotation + 1) % n;
        return out;
    }

    private void fetchFrom(
            TopicPartition tp, State s, List<ConsumedEvent> out, BiFunction<TopicPartition, PartitionLog, Long> reset) {
        LogSlice slice;
        try {
            buffer.clear();
            slice = s.log.read(s.position, buffer);
        } catch (IllegalArgumentException batchLargerThanBuffer) {
            slice = s.log.read(s.position, 0); // one batch, however large: read() never returns less
        } catch (OffsetOutOfRangeException e) {
            s.position = reset.apply(tp, s.log);
            return;
        }
        for (RecordBatch batch : slice.batches()) {
            if (config.checkCrcs()) {
                try {
                    batch.ensureValid();
                } catch (CorruptRecordException e) {
                    throw new CorruptDataException(
                            "Corrupt data in " + tp + " at offset " + batch.baseOffset() + ": "
                                    + e.getMessage()
                                    + ". The segment file is damaged; restore it from a backup, or skip the"
                                    + " batch by seeking to offset " + batch.nextOffset() + ".",
                            e);
                }
            }
            RecordCursor c = batch.cursor();
            while (c.next()) {
                if (c.offset() < s.position) {
                    continue;
                }
                if (out.size() >= config.maxPollEvents()) {
                    return;
                }
                out.add(new ConsumedEvent(
                        tp.topic(), tp.partition(), c.offset(), c.timestamp(), c.key(), c.value(), headers(c)));
                s.position = c.offset() + 1;
            }
            s.position = Math.max(s.position, batch.nextOffset());
        }
    }

    private static List<Header> headers(RecordCursor c) {
        if (c.headerCount() == 0) {
            return List.of();
        }
        List<Header> out = new ArrayList<>(c.headerCount());
        for (dev.sluice.log.record.Header h : c.headers()) {
            out.add(new Header(h.key(), h.value()));
        }
        return out;
    }

    private State state(TopicPartition tp) {
        State s = partitions.get(tp);
        if (s == null) {
            throw new IllegalStateException(
                    tp + " is not assigned to this consumer (assigned: " + partitions.keySet() + ")");
        }
        return s;
    }
}
