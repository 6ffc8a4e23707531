package dev.sluice.log.internal;

import static dev.sluice.log.record.RecordBatchFormat.HEADER_SIZE;

import dev.sluice.log.LogFiles;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordCursor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One segment of a partition: a log file of record batches starting at {@link #baseOffset()}, a sparse offset index and
 * a time index.
 *
 * <p>Appends, rolls and recovery run under the owning partition's lock. Reads may come from any thread: they see the
 * bytes below the limit the caller passes, which the partition publishes only after they are written.
 */
final class Segment {
    private final Path dir;
    private final long baseOffset;
    private final SegmentFile log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;

    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = -1;
    /** Timestamp that ages the segment for {@code segment.ms}: the first batch's max timestamp, or creation time. */
    private long rollingTimestamp;
    /**
     * When the segment was last written, on the log's clock (the file's last-modified time for a segment opened from
     * disk): what {@code retention.ms} ages it by, so that events stamped long ago (a replay, an import, a window over
     * last month) are kept as long as new ones.
     */
    private volatile long lastWrittenAt;

    private int bytesSinceLastIndexEntry;

    private Segment(
            LogFiles files,
            Path dir,
            long baseOffset,
            String suffix,
            int indexIntervalBytes,
            int maxIndexBytes,
            boolean active) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        this.log = new SegmentFile(SegmentNames.log(dir, baseOffset, suffix), files);
        this.offsetIndex =
                new OffsetIndex(SegmentNames.index(dir, baseOffset, suffix), baseOffset, maxIndexBytes, active);
        this.timeIndex =
                new TimeIndex(SegmentNames.timeIndex(dir, baseOffset, suffix), baseOffset, maxIndexBytes, active);
        this.size = (int) log.size();
        this.nextOffset = baseOffset;
    }

    /** A new, empty, active segment. */
    static Segment create(
            LogFiles files, Path dir, long baseOffset, int indexIntervalBytes, int maxIndexBytes, long now) {
        return create(files, dir, baseOffset, "", indexIntervalBytes, maxIndexBytes, now);
    }

    /** A new, empty segment whose files carry {@code suffix} after their usual names (compaction output). */
    static Segment create(
            LogFiles files,
            Path dir,
            long baseOffset,
            String suffix,
            int indexIntervalBytes,
            int maxIndexBytes,
            long now) {
        try {
            // a new segment holds nothing: clear leftovers of an earlier life of this base offset
            Files.deleteIfExists(SegmentNames.log(dir, baseOffset, suffix));
            Files.deleteIfExists(SegmentNames.index(dir, baseOffset, suffix));
            Files.deleteIfExists(SegmentNames.timeIndex(dir, baseOffset, suffix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create segment " + baseOffset + " in " + dir, e);
        }
        Segment s = new Segment(files, dir, baseOffset, suffix, indexIntervalBytes, maxIndexBytes, true);
        s.rollingTimestamp = now;
        s.lastWrittenAt = now;
        return s;
    }

    /**
     * Opens an existing segment without validating its batches: its indexes are trusted and its end is found by
     * reading batch headers from the last index entry.
     */
    static Segment open(
            LogFiles files, Path dir, long baseOffset, int indexIntervalBytes, int maxIndexBytes, boolean active) {
        Segment s = new Segment(files, dir, baseOffset, "", indexIntervalBytes, maxIndexBytes, active);
        s.loadEnd();
        try {
            s.lastWrittenAt = Files.getLastModifiedTime(s.log.path()).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + s.log.path(), e);
        }
        return s;
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Bytes in the log file. */
    int size() {
        return size;
    }

    /** One past the last offset in the segment; the base offset when empty. */
    long nextOffset() {
        return nextOffset;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long rollingTimestamp() {
        return rollingTimestamp;
    }

    /** When the segment was last written: see {@link #lastWrittenAt}. */
    long lastWrittenAt() {
        return lastWrittenAt;
    }

    boolean indexIsFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    Path logPath() {
        return log.path();
    }

    long sizeOnDisk() {
        return size + (long) offsetIndex.sizeInBytes() + timeIndex.sizeInBytes();
    }

    /**
     * Writes a batch whose base offset is already assigned, at {@code now} on the log's clock: all of it, or, if the
     * write fails (a full disk), none of it: what part of it reached the file is cut off again before the error is
     * thrown, and the indexes only learn of a batch once it is written.
     */
    void append(RecordBatch batch, long now) {
        ByteBuffer bytes = batch.buffer();
        int position = size;
        int length = bytes.remaining();
        try {
            log.writeFully(bytes, position);
        } catch (RuntimeException e) {
            try {
                log.truncate(position);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed); // a reopened log drops the torn batch by its CRC
            }
            throw e;
        }
        lastWrittenAt = now;
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !indexIsFull()) {
            offsetIndex.append(batch.baseOffset(), position);
            timeIndex.maybeAppend(maxTimestamp, batch.baseOffset());
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += length;
        if (size == 0) {
            rollingTimestamp = batch.maxTimestamp();
        }
        if (batch.maxTimestamp() > maxTimestamp) {
            maxTimestamp = batch.maxTimestamp();
        }
        nextOffset = batch.nextOffset();
        size = position + length;
    }

    /**
     * Finds the first batch that holds an offset at or after {@code offset}.
     *
     * @param limit bytes of the segment that may be read
     * @return its byte position, or -1 if no batch below {@code limit} has such an offset
     */
    int positionOf(long offset, int limit) {
        int position = offsetIndex.floorPosition(offset);
        ByteBuffer scratch = ByteBuffer.allocate(HEADER_SIZE);
        while (position < limit) {
            BatchHeader h = BatchHeader.read(log, position, scratch);
            if (h == null) {
                return -1;
            }
            if (h.lastOffset() >= offset) {
                return position;
            }
            position += h.sizeInBytes();
        }
        return -1;
    }

    /** The header of the batch at {@code position}, or null past the end. */
    BatchHeader headerAt(int position) {
        return BatchHeader.read(log, position, ByteBuffer.allocate(HEADER_SIZE));
    }

    /** Reads whole or partial batches from {@code position} into {@code dst} without passing {@code limit}. */
    int read(int position, ByteBuffer dst, int limit) {
        if (position >= limit) {
            return 0;
        }
        int room = Math.min(dst.remaining(), limit - position);
        ByteBuffer target = dst.duplicate();
        target.limit(target.position() + room);
        int n = log.read(target, position);
        dst.position(dst.position() + n);
        return n;
    }

    /**
     * The first record at or after {@code timestamp} below {@code limit}.
     *
     * @return {offset, timestamp}, or null if no record in this segment qualifies
     */
    long[] findByTimestamp(long timestamp, int limit) {
        if (maxTimestamp < timestamp) {
            return null;
        }
        int position = positionOf(timeIndex.searchStart(timestamp), limit);
        if (position < 0) {
            return null;
        }
        BatchScanner scanner = new BatchScanner(log, position, limit, 1 << 16);
        for (RecordBatch batch = scanner.next(); batch != null; batch = scanner.next()) {
            if (batch.maxTimestamp() >= timestamp) {
                RecordCursor cursor = batch.cursor();
                while (cursor.next()) {
                    if (cursor.timestamp() >= timestamp) {
                        return new long[] {cursor.offset(), cursor.timestamp()};
                    }
                }
            }
        }
        return null;
    }

    /**
     * Validates every batch, rebuilds both indexes, and truncates the file after the last valid batch.
     *
     * @param expectedFirst the lowest base offset the first batch may have
     * @param contiguous whether each batch must start right after the previous one (false for compacted data)
     */
    SegmentRecovery recover(long expectedFirst, boolean contiguous) {
        offsetIndex.clear();
        timeIndex.clear();
        maxTimestamp = -1;
        bytesSinceLastIndexEntry = 0;
        long fileSize = log.size();
        BatchScanner scanner = new BatchScanner(log, 0, fileSize, 1 << 20);
        long expected = expectedFirst;
        int valid = 0;
        int batches = 0;
        String problem = null;
        while (valid < fileSize) {
            RecordBatch batch;
            try {
                batch = scanner.nextValidated();
            } catch (dev.sluice.log.LogException e) {
                problem = e.getMessage();
                break;
            }
            if (batch == null) {
                break;
            }
            long base = batch.baseOffset();
            if (contiguous ? base != expected : base < expected) {
                problem = "batch at byte " + valid + " starts at offset " + base + " but offset " + expected
                        + " was expected";
                break;
            }
            if (bytesSinceLastIndexEntry > indexIntervalBytes && !indexIsFull()) {
                offsetIndex.append(base, valid);
                timeIndex.maybeAppend(maxTimestamp, base);
                bytesSinceLastIndexEntry = 0;
            }
            if (batches == 0) {
                rollingTimestamp = batch.maxTimestamp();
            }
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            bytesSinceLastIndexEntry += batch.sizeInBytes();
            valid += batch.sizeInBytes();
            expected = batch.nextOffset();
            batches++;
        }
        long dropped = fileSize - valid;
        if (dropped > 0) {
            if (problem == null) {
                problem = "torn batch: " + dropped + " trailing bytes do not form a whole batch";
            }
            log.truncate(valid);
        }
        size = valid;
        nextOffset = batches == 0 ? baseOffset : expected;
        return new SegmentRecovery(baseOffset, batches, valid, dropped, dropped > 0 ? problem : null);
    }

    /** True if both index files exist and look consistent with the log file. */
    boolean indexesLookSane(long nextSegmentBase) {
        return Files.exists(offsetIndex.file())
                && Files.exists(timeIndex.file())
                && offsetIndex.isSane(nextSegmentBase, size)
                && timeIndex.isSane(nextSegmentBase);
    }

    void flush() {
        flushLog();
        offsetIndex.flush();
        timeIndex.flush();
    }

    /**
     * Forces only the log file. Enough for the segment that takes appends: recovery after a crash validates the segment
     * holding the recovery point and rebuilds its indexes from the log, so its index files need not be forced with
     * every group commit (each force is a journal commit and a disk cache flush of its own).
     */
    void flushLog() {
        log.force();
    }

    /** Called when the segment stops taking appends: trims the indexes to their entries. */
    void onRolled() {
        offsetIndex.makeReadOnly();
        timeIndex.makeReadOnly();
    }

    /** Called when recovery makes an older segment active again. */
    void makeActive() {
        offsetIndex.makeWritable();
        timeIndex.makeWritable();
    }

    void close() {
        offsetIndex.close();
        timeIndex.close();
        log.close();
    }

    /** Closes the file handles only: another segment now owns files of the same names. */
    void closeReplaced() {
        log.close();
    }

    SegmentFile file() {
        return log;
    }

    void delete() {
        log.close();
        try {
            offsetIndex.delete();
            timeIndex.delete();
            Files.deleteIfExists(log.path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete segment " + log.path(), e);
        }
    }

    /** Directory of the partition that owns this segment. */
    Path dir() {
        return dir;
    }

    private void loadEnd() {
        long position = offsetIndex.lastPosition();
        long next = offsetIndex.entries() == 0 ? baseOffset : offsetIndex.lastOffset();
        long maxTs = timeIndex.lastTimestamp();
        ByteBuffer scratch = ByteBuffer.allocate(HEADER_SIZE);
        while (position < size) {
            BatchHeader h = BatchHeader.read(log, position, scratch);
            if (h == null) {
                break;
            }
            maxTs = Math.max(maxTs, h.maxTimestamp());
            next = h.nextOffset();
            position += h.sizeInBytes();
        }
        BatchHeader first = size > 0 ? BatchHeader.read(log, 0, scratch) : null;
        this.rollingTimestamp = first == null ? -1 : first.maxTimestamp();
        this.maxTimestamp = maxTs;
        this.nextOffset = next;
        this.bytesSinceLastIndexEntry = size - offsetIndex.lastPosition();
    }

    @Override
    public String toString() {
        return "Segment[" + log.path() + ", base=" + baseOffset + ", next=" + nextOffset + ", bytes=" + size + "]";
    }
}
