package dev.sluice.broker.embedded;

import dev.sluice.broker.TopicPartition;
import dev.sluice.log.Log;
import dev.sluice.log.LogSlice;
import dev.sluice.log.PartitionLog;
import dev.sluice.log.config.CleanupPolicy;
import dev.sluice.log.config.FlushPolicy;
import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.record.LogRecord;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordBatchBuilder;
import dev.sluice.log.record.RecordBatchFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Committed offsets of every consumer group, kept in memory and stored durably in the compacted internal topic
 * {@value #TOPIC} (fsynced on every commit, group-committed). On open the topic is read back.
 *
 * <pre>
 *  key   (v0): version int8 = 0 | groupLength int16 | group UTF-8 | topicLength int16 | topic UTF-8 | partition int32
 *  value (v0): version int8 = 0 | offset int64 | commitTimestamp int64          (null value: offset deleted)
 * </pre>
 *
 * Thread-safe.
 */
final class OffsetStore {
    static final String TOPIC = "__consumer_offsets";

    record Key(String group, TopicPartition topicPartition) {}

    private final PartitionLog partition;
    private final Clock clock = Clock.systemUTC();
    private final Map<Key, Long> committed = new ConcurrentHashMap<>();

    OffsetStore(Log log) {
        this.partition = log.findTopic(TOPIC)
                .orElseGet(() -> log.createTopic(
                        TOPIC,
                        1,
                        TopicConfig.builder()
                                .cleanupPolicy(CleanupPolicy.COMPACT)
                                .flushPolicy(FlushPolicy.ALWAYS)
                                .segmentBytes(64L << 20)
                                .build()))
                .partition(0);
        load();
    }

    /** Stores the offsets; the future completes once they are durable and visible to {@link #committed}. */
    CompletableFuture<Void> commit(String group, Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long now = clock.millis();
        Map<byte[], byte[]> records = new java.util.LinkedHashMap<>();
        offsets.forEach((tp, offset) -> records.put(key(group, tp), value(offset, now)));
        return partition
                .appendAsync(batchOf(records, now))
                .thenRun(() -> offsets.forEach((tp, offset) -> committed.put(new Key(group, tp), offset)));
    }

    Long committed(String group, TopicPartition tp) {
        return committed.get(new Key(group, tp));
    }

    Map<TopicPartition, Long> committed(String group) {
        return committed.entrySet().stream()
                .filter(e -> e.getKey().group().equals(group))
                .collect(Collectors.toMap(
                        e -> e.getKey().topicPartition(), Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    Set<String> groups() {
        return committed.keySet().stream().map(Key::group).collect(Collectors.toSet());
    }

    /** Deletes every group's offsets for a topic that is being deleted. */
    void forgetTopic(String topic) {
        List<Key> keys = committed.keySet().stream()
                .filter(k -> k.topicPartition().topic().equals(topic))
                .toList();
        if (keys.isEmpty()) {
            return;
        }
        long now = clock.millis();
        Map<byte[], byte[]> tombstones = new java.util.LinkedHashMap<>();
        keys.forEach(k -> tombstones.put(key(k.group(), k.topicPartition()), null));
        partition.append(batchOf(tombstones, now));
        keys.forEach(committed::remove);
    }

    private void load() {
        long next = partition.logStartOffset();
        while (next < partition.highWatermark()) {
            LogSlice slice = partition.read(next, 1 << 20);
            for (LogRecord r : slice.records()) {
                try {
                    Key key = decodeKey(r.key());
                    if (r.value() == null) {
                        committed.remove(key);
                    } else {
                        committed.put(key, decodeOffset(r.value()));
                    }
                } catch (RuntimeException notACommit) { // written by something else: it must not stop the broker
                    System.getLogger("dev.sluice.broker")
                            .log(
                                    System.Logger.Level.WARNING,
                                    "skipped the record at offset " + r.offset() + " of " + TOPIC + ": it is not a"
                                            + " committed offset (" + notACommit.getMessage() + ")");
                }
            }
            next = slice.nextOffset();
        }
    }

    /** One batch holding every record, sized exactly. */
    private static RecordBatch batchOf(Map<byte[], byte[]> records, long now) {
        int size = RecordBatchFormat.HEADER_SIZE;
        for (Map.Entry<byte[], byte[]> r : records.entrySet()) {
            size += RecordBatchBuilder.sizeOfSingleRecordBatch(r.getKey(), r.getValue(), List.of()) + 16;
        }
        RecordBatchBuilder batch = new RecordBatchBuilder(ByteBuffer.allocate(size));
        for (Map.Entry<byte[], byte[]> r : records.entrySet()) {
            if (!batch.tryAppend(now, r.getKey(), r.getValue(), List.of())) {
                throw new IllegalStateException("offset batch sized too small");
            }
        }
        return batch.build();
    }

    private static byte[] key(String group, TopicPartition tp) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] t = tp.topic().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 2 + g.length + 2 + t.length + 4)
                .put((byte) 0)
                .putShort((short) g.length)
                .put(g)
                .putShort((short) t.length)
                .put(t)
                .putInt(tp.partition())
                .array();
    }

    /** @throws IllegalArgumentException if the bytes are not a key this class wrote */
    private static Key decodeKey(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != 0) {
                throw new IllegalArgumentException("unknown key version");
            }
            byte[] g = new byte[b.getShort()];
            b.get(g);
            byte[] t = new byte[b.getShort()];
            b.get(t);
            int partition = b.getInt();
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("key longer than its fields");
            }
            return new Key(
                    new String(g, StandardCharsets.UTF_8),
                    new TopicPartition(new String(t, StandardCharsets.UTF_8), partition));
        } catch (NullPointerException | java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("key too short or missing", e);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not a value this class wrote */
    private static long decodeOffset(byte[] bytes) {
        if (bytes.length != 17 || bytes[0] != 0) {
            throw new IllegalArgumentException("value of " + bytes.length + " bytes, not a committed offset");
        }
        return ByteBuffer.wrap(bytes).position(1).getLong();
    }

    private static byte[] value(long offset, long now) {
        return ByteBuffer.allocate(17)
                .put((byte) 0)
                .putLong(offset)
                .putLong(now)
                .array();
    }
}
