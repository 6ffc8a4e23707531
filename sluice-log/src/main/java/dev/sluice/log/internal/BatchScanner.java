package dev.sluice.log.internal;

import static dev.sluice.log.record.RecordBatchFormat.*;

import dev.sluice.log.record.CorruptRecordException;
import dev.sluice.log.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * Reads the batches of a segment file in order through a reusable buffer, from a start position to a limit. Each
 * returned batch is a view that is valid until the next call. Not thread-safe.
 */
final class BatchScanner {
    private final SegmentFile file;
    private final long limit;
    private ByteBuffer buffer;
    /** File position of buffer index 0. */
    private long bufferStart;

    private int cursor;
    private int filled;

    BatchScanner(SegmentFile file, long start, long limit, int bufferSize) {
        this.file = file;
        this.limit = limit;
        this.buffer = ByteBuffer.allocateDirect(bufferSize);
        this.bufferStart = start;
    }

    /** File position of the next batch. */
    long position() {
        return bufferStart + cursor;
    }

    /** The next whole batch, unchecked, or null at the limit or at a partial batch. */
    RecordBatch next() {
        int size = ensureHeaderThenBatch();
        return size < 0 ? null : take(size);
    }

    /**
     * The next batch after checking its length, magic and CRC.
     *
     * @return null exactly at the limit
     * @throws CorruptRecordException describing the first problem
     */
    RecordBatch nextValidated() {
        long at = position();
        if (at >= limit) {
            return null;
        }
        if (limit - at < LOG_OVERHEAD) {
            throw new CorruptRecordException("torn batch at byte " + at + ": only " + (limit - at) + " bytes remain");
        }
        fill(LOG_OVERHEAD);
        int size = LOG_OVERHEAD + buffer.getInt(cursor + LENGTH_OFFSET);
        if (size < HEADER_SIZE) {
            throw new CorruptRecordException("batch at byte " + at + " has an impossible length of " + size + " bytes");
        }
        if (at + size > limit) {
            throw new CorruptRecordException("torn batch at byte " + at + ": its length of " + size + " bytes runs "
                    + (at + size - limit) + " bytes past the end of the file");
        }
        fill(size);
        RecordBatch batch = take(size);
        try {
            batch.ensureValid();
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException("batch at byte " + at + ": " + e.getMessage());
        }
        return batch;
    }

    private int ensureHeaderThenBatch() {
        long at = position();
        if (at + HEADER_SIZE > limit) {
            return -1;
        }
        fill(LOG_OVERHEAD);
        int size = LOG_OVERHEAD + buffer.getInt(cursor + LENGTH_OFFSET);
        if (size < HEADER_SIZE || at + size > limit) {
            return -1;
        }
        fill(size);
        return size;
    }

    private RecordBatch take(int size) {
        ByteBuffer slice = buffer.duplicate();
        slice.position(cursor).limit(cursor + size);
        cursor += size;
        return RecordBatch.wrap(slice.slice());
    }

    /** Makes at least {@code needed} bytes available from the cursor, growing the buffer for a big batch. */
    private void fill(int needed) {
        if (filled - cursor >= needed) {
            return;
        }
        if (needed > buffer.capacity()) {
            buffer = ByteBuffer.allocateDirect(needed);
            filled = 0;
        } else {
            buffer.limit(filled).position(cursor);
            buffer.compact();
            filled = buffer.position();
        }
        bufferStart += cursor;
        cursor = 0;
        buffer.clear().position(filled);
        long wanted = Math.min(buffer.capacity() - filled, limit - (bufferStart + filled));
        buffer.limit(filled + (int) wanted);
        filled += file.read(buffer, bufferStart + filled);
        buffer.clear();
        if (filled < needed) {
            throw new CorruptRecordException("file ended after " + (bufferStart + filled) + " bytes inside a batch");
        }
    }
}
