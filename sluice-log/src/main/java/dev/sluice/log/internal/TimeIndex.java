package dev.sluice.log.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Sparse map from timestamp to offset in one segment.
 *
 * <pre>
 *  entry (12 bytes, big-endian):  timestamp int64 | relativeOffset int32
 * </pre>
 *
 * An entry {@code (t, o)} means every record of the segment before offset {@code baseOffset + o} has a timestamp of at
 * most {@code t}. Timestamps strictly increase from entry to entry, so a search for the first record at or after time
 * {@code T} may start at the offset of the last entry whose timestamp is below {@code T}.
 */
final class TimeIndex extends MappedIndex {
    static final int ENTRY_SIZE = 12;

    TimeIndex(Path file, long baseOffset, int maxSize, boolean writable) {
        super(file, baseOffset, maxSize, writable);
    }

    @Override
    int entrySize() {
        return ENTRY_SIZE;
    }

    /** Adds the entry if its timestamp is above the last one; the index must not be full. */
    void maybeAppend(long maxTimestampBefore, long offset) {
        if (maxTimestampBefore > lastTimestamp() && !isFull()) {
            ByteBuffer b = beginAppend();
            b.putLong(maxTimestampBefore).putInt((int) (offset - baseOffset));
            endAppend();
        }
    }

    /** The offset to start a search for the first record with a timestamp at or after {@code timestamp}. */
    long searchStart(long timestamp) {
        int n = floorEntry(timestamp - 1);
        return n < 0 ? baseOffset : baseOffset + view().getInt(n * ENTRY_SIZE + 8);
    }

    long lastTimestamp() {
        int n = entries();
        return n == 0 ? -1 : view().getLong((n - 1) * ENTRY_SIZE);
    }

    boolean isSane(long nextSegmentBase) {
        ByteBuffer b = view();
        long previousTs = Long.MIN_VALUE;
        long previousOffset = -1;
        for (int n = 0; n < entries(); n++) {
            long ts = b.getLong(n * ENTRY_SIZE);
            long rel = b.getInt(n * ENTRY_SIZE + 8);
            if (ts <= previousTs || rel < previousOffset || baseOffset + rel > nextSegmentBase) {
                return false;
            }
            previousTs = ts;
            previousOffset = rel;
        }
        return true;
    }

    @Override
    protected long keyAt(ByteBuffer buffer, int n) {
        return buffer.getLong(n * ENTRY_SIZE);
    }
}
