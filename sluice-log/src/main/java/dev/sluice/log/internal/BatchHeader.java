package dev.sluice.log.internal;

import static dev.sluice.log.record.RecordBatchFormat.*;

import java.nio.ByteBuffer;

/** The fixed header fields of a batch, read without its records. */
record BatchHeader(long baseOffset, int sizeInBytes, int lastOffsetDelta, long maxTimestamp, byte magic) {
    long lastOffset() {
        return baseOffset + lastOffsetDelta;
    }

    long nextOffset() {
        return lastOffset() + 1;
    }

    /** Reads the header at {@code position} of {@code file}, or null if fewer than a header's bytes remain. */
    static BatchHeader read(SegmentFile file, long position, ByteBuffer scratch) {
        scratch.clear().limit(HEADER_SIZE);
        if (file.read(scratch, position) < HEADER_SIZE) {
            return null;
        }
        return of(scratch, 0);
    }

    static BatchHeader of(ByteBuffer buffer, int at) {
        return new BatchHeader(
                buffer.getLong(at + BASE_OFFSET_OFFSET),
                LOG_OVERHEAD + buffer.getInt(at + LENGTH_OFFSET),
                buffer.getInt(at + LAST_OFFSET_DELTA_OFFSET),
                buffer.getLong(at + MAX_TIMESTAMP_OFFSET),
                buffer.get(at + MAGIC_OFFSET));
    }
}
