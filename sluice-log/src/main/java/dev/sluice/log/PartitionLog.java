package dev.sluice.log;

import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One partition of a topic: an ordered, durable sequence of record batches addressed by offset.
 *
 * <p>Thread-safety: any number of threads may append, read and query concurrently. Appends are serialised by the
 * partition; readers never block appends. Readers see only records below the {@link #highWatermark() high watermark},
 * which is the end of the acknowledged data: for {@code flush.policy=always} that is the end of the data an fsync has
 * covered, for the other policies the end of the written data.
 */
public interface PartitionLog {
    String topic();

    int partition();

    TopicConfig config();

    /**
     * Appends a batch, assigning its base offset, and waits until it is acknowledged under the topic's flush policy.
     *
     * @throws RecordTooLargeException if the batch exceeds {@code max.message.bytes}
     * @throws dev.sluice.log.record.CorruptRecordException if an untrusted batch fails validation
     */
    AppendResult append(RecordBatch batch);

    /**
     * Writes a batch now, assigning its base offset, and returns a future completed when the batch is acknowledged:
     * at once for {@code flush.policy} {@code os} and {@code interval}, after the covering fsync for {@code always}.
     * Validation errors are thrown, not put in the future.
     */
    CompletableFuture<AppendResult> appendAsync(RecordBatch batch);

    /**
     * Reads whole batches starting with the one that holds {@code offset}, up to {@code maxBytes} (but at least one
     * batch, however large). The first batch may begin before {@code offset}.
     *
     * @throws OffsetOutOfRangeException if {@code offset} is below the log start or above the high watermark
     */
    LogSlice read(long offset, int maxBytes);

    /** Like {@link #read(long, int)}, but into {@code buffer} from its position; at most its remaining bytes. */
    LogSlice read(long offset, ByteBuffer buffer);

    /** The first record whose timestamp is at or after {@code timestamp}, if any is below the high watermark. */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp);

    /** The lowest offset still stored (retention moves it forward). */
    long logStartOffset();

    /** The offset the next appended record gets. */
    long logEndOffset();

    /** The end of the acknowledged, readable data; at most {@link #logEndOffset()}. */
    long highWatermark();

    long sizeInBytes();

    int segmentCount();

    /** Forces everything written so far to disk. */
    void flush();

    /** Calls {@code listener} (on the appending or flushing thread; it must be quick) when the high watermark moves. */
    void addListener(Runnable listener);

    void removeListener(Runnable listener);
}
