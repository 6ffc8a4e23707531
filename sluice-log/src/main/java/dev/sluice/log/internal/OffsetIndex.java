package dev.sluice.log.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Sparse map from offset to file position in one segment.
 *
 * <pre>
 *  entry (8 bytes, big-endian):  relativeOffset int32 | position int32
 * </pre>
 *
 * An entry {@code (o, p)} means the batch whose base offset is {@code baseOffset + o} starts at byte {@code p}.
 */
final class OffsetIndex extends MappedIndex {
    static final int ENTRY_SIZE = 8;

    OffsetIndex(Path file, long baseOffset, int maxSize, boolean writable) {
        super(file, baseOffset, maxSize, writable);
    }

    @Override
    int entrySize() {
        return ENTRY_SIZE;
    }

    void append(long offset, int position) {
        ByteBuffer b = beginAppend();
        b.putInt((int) (offset - baseOffset)).putInt(position);
        endAppend();
    }

    /** Byte position of the last indexed batch starting at or before {@code offset}; 0 if none. */
    int floorPosition(long offset) {
        int n = floorEntry(offset - baseOffset);
        return n < 0 ? 0 : view().getInt(n * ENTRY_SIZE + 4);
    }

    /** Position of the indexed batch that starts exactly at {@code offset}, or -1. */
    int exactPosition(long offset) {
        int n = floorEntry(offset - baseOffset);
        if (n < 0) {
            return -1;
        }
        ByteBuffer b = view();
        return b.getInt(n * ENTRY_SIZE) == offset - baseOffset ? b.getInt(n * ENTRY_SIZE + 4) : -1;
    }

    long lastOffset() {
        int n = entries();
        return n == 0 ? baseOffset : baseOffset + view().getInt((n - 1) * ENTRY_SIZE);
    }

    int lastPosition() {
        int n = entries();
        return n == 0 ? 0 : view().getInt((n - 1) * ENTRY_SIZE + 4);
    }

    /** True if offsets and positions strictly increase and stay inside the segment. */
    boolean isSane(long nextSegmentBase, long logFileSize) {
        ByteBuffer b = view();
        long previousOffset = -1;
        long previousPosition = -1;
        for (int n = 0; n < entries(); n++) {
            long rel = b.getInt(n * ENTRY_SIZE);
            long pos = b.getInt(n * ENTRY_SIZE + 4);
            if (rel <= previousOffset
                    || pos <= previousPosition
                    || pos >= logFileSize
                    || baseOffset + rel >= nextSegmentBase) {
                return false;
            }
            previousOffset = rel;
            previousPosition = pos;
        }
        return true;
    }

    @Override
    protected long keyAt(ByteBuffer buffer, int n) {
        return buffer.getInt(n * ENTRY_SIZE);
    }
}
