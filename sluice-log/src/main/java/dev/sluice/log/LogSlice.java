package dev.sluice.log;

import dev.sluice.log.record.LogRecord;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordBatches;
import dev.sluice.log.record.RecordCursor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches read from a partition: whole batches, the first of which may start before the requested offset.
 *
 * @param fromOffset the offset that was asked for; records before it belong to the first batch only
 * @param bytes the batches, from position to limit
 * @param highWatermark the partition's high watermark when the read happened
 */
public record LogSlice(long fromOffset, ByteBuffer bytes, long highWatermark) {

    public boolean isEmpty() {
        return !bytes.hasRemaining();
    }

    public int sizeInBytes() {
        return bytes.remaining();
    }

    public RecordBatches batches() {
        return new RecordBatches(bytes);
    }

    /** The offset after the last record in the slice, or {@link #fromOffset()} when empty. */
    public long nextOffset() {
        long next = fromOffset;
        for (RecordBatch batch : batches()) {
            next = Math.max(next, batch.nextOffset());
        }
        return next;
    }

    /** Decodes the records at or after {@link #fromOffset()}; allocates per record. */
    public List<LogRecord> records() {
        List<LogRecord> out = new ArrayList<>();
        for (RecordBatch batch : batches()) {
            RecordCursor cursor = batch.cursor();
            while (cursor.next()) {
                if (cursor.offset() >= fromOffset) {
                    out.add(cursor.toRecord());
                }
            }
        }
        return out;
    }
}
