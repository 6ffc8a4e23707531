package dev.sluice.log.internal;

import dev.sluice.log.AppendResult;
import dev.sluice.log.LogClosedException;
import dev.sluice.log.LogFiles;
import dev.sluice.log.LogSlice;
import dev.sluice.log.LogStorageException;
import dev.sluice.log.OffsetOutOfRangeException;
import dev.sluice.log.PartitionLog;
import dev.sluice.log.RecordTooLargeException;
import dev.sluice.log.TimestampOffset;
import dev.sluice.log.config.CleanupPolicy;
import dev.sluice.log.config.FlushPolicy;
import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.internal.SegmentFile.SegmentClosedException;
import dev.sluice.log.record.CorruptRecordException;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordBatches;
import dev.sluice.log.record.RecordCursor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The partition implementation: a sorted map of segments, the last of which takes appends.
 *
 * <p>Appends, rolls, retention and compaction swaps hold {@link #lock}; reads take no lock and see the segments map and
 * the volatile {@link #highWatermark} snapshot. fsyncs run on the {@link Flusher} thread, outside the lock.
 */
public final class DefaultPartitionLog implements PartitionLog {
    /** The readable end: offset, the segment it lies in, and the byte position there. */
    record End(long offset, long segmentBase, int position) {}

    private record PendingAck(long lastOffset, AppendResult result, CompletableFuture<AppendResult> future) {}

    private final String topic;
    private final int partition;
    private final Path dir;
    /** Replaced as a whole by {@link #reconfigure}; each use reads it once. */
    private volatile TopicConfig config;

    private final Clock clock;
    private final LogFiles files;
    private final Flusher flusher;
    final ConcurrentSkipListMap<Long, Segment> segments;
    final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<PendingAck> pendingAcks = new ArrayDeque<>();
    final AtomicBoolean flushQueued = new AtomicBoolean();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private volatile Segment active;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    private volatile End highWatermark;
    private volatile long recoveryPoint;
    private volatile boolean closed;
    /** Why this partition takes no more appends: a write or fsync failed (null while all is well). */
    private volatile LogStorageException storageFailure;
    /** Compaction has processed every segment below this offset since the log opened. */
    private volatile long cleanedUpTo;
    /** The earliest time a tombstone kept by compaction may be removed. */
    private volatile long nextDeleteHorizon = Long.MAX_VALUE;

    DefaultPartitionLog(
            String topic,
            int partition,
            Path dir,
            TopicConfig config,
            Clock clock,
            LogFiles files,
            Flusher flusher,
            ConcurrentSkipListMap<Long, Segment> loaded) {
        this.topic = topic;
        this.partition = partition;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.files = files;
        this.flusher = flusher;
        this.segments = loaded;
        this.active = loaded.lastEntry().getValue();
        this.logEndOffset = active.nextOffset();
        this.logStartOffset = loaded.firstKey();
        this.highWatermark = new End(logEndOffset, active.baseOffset(), active.size());
        this.recoveryPoint = logEndOffset;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public TopicConfig config() {
        return config;
    }

    Path dir() {
        return dir;
    }

    Clock clock() {
        return clock;
    }

    LogFiles files() {
        return files;
    }

    /**
     * Takes new settings (sluice topics alter): the next append, roll, flush, retention and compaction run use them;
     * segments already written stay as they are.
     */
    void reconfigure(TopicConfig updated) {
        config = updated;
    }

    @Override
    public AppendResult append(RecordBatch batch) {
        CompletableFuture<AppendResult> f = appendAsync(batch);
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(RecordBatch batch) {
        validate(batch);
        AppendResult result = null;
        CompletableFuture<AppendResult> future = null;
        LogStorageException failure;
        lock.lock();
        try {
            ensureWritable();
            long base = logEndOffset;
            failure = write(batch, base);
            if (failure == null) {
                logEndOffset = batch.nextOffset();
                result = new AppendResult(base, batch.lastOffset());
                if (config.flushPolicy() == FlushPolicy.ALWAYS) {
                    future = new CompletableFuture<>();
                    pendingAcks.add(new PendingAck(result.lastOffset(), result, future));
                } else {
                    highWatermark = new End(logEndOffset, active.baseOffset(), active.size());
                }
            }
        } finally {
            lock.unlock();
        }
        if (failure != null) { // the waiting appends fail outside the lock: their callbacks run on this thread
            failPendingAcks(failure);
            throw failure;
        }
        if (future != null) {
            flusher.request(this);
            return future;
        }
        notifyListeners();
        return CompletableFuture.completedFuture(result);
    }

    /**
     * Writes the batch at {@code base}, rolling first if it is due. Caller holds the lock.
     *
     * @return null once written; else why not, the partition then being out of service ({@link #markFailed})
     */
    private LogStorageException write(RecordBatch batch, long base) {
        try {
            maybeRoll(batch);
            batch.assignBaseOffset(base);
            active.append(batch, clock.millis());
            return null;
        } catch (SegmentClosedException | LogClosedException e) {
            throw e;
        } catch (RuntimeException e) {
            return markFailed(StorageFailures.of("write " + this + " (" + dir + ")", e));
        }
    }

    private void validate(RecordBatch batch) {
        if (batch.sizeInBytes() > config.maxMessageBytes()) {
            throw new RecordTooLargeException("A batch of " + batch.sizeInBytes() + " bytes is larger than "
                    + topic + "'s max.message.bytes of " + config.maxMessageBytes() + ". Send smaller records, or raise"
                    + " it: sluice topics alter " + topic + " --config max.message.bytes=<bytes>");
        }
        if (!batch.isTrusted()) {
            batch.ensureValid();
        }
        if (batch.recordCount() == 0) {
            throw new CorruptRecordException("an empty batch cannot be appended");
        }
        if (config.cleanupPolicy() == CleanupPolicy.COMPACT) {
            RecordCursor cursor = batch.cursor();
            while (cursor.next()) {
                if (cursor.keyLength() < 0) {
                    throw new CorruptRecordException("Topic " + topic + " is compacted (cleanup.policy=compact), so"
                            + " every record needs a key; got a record without one.");
                }
            }
        }
    }

    private void maybeRoll(RecordBatch batch) {
        Segment s = active;
        if (s.isEmpty()) {
            return;
        }
        boolean full = (long) s.size() + batch.sizeInBytes() > config.segmentBytes();
        boolean old = batch.maxTimestamp() - s.rollingTimestamp() > config.segmentMs();
        if (full || old || s.indexIsFull()) {
            roll();
        }
    }

    /** Starts a new active segment at the log end. Caller holds the lock. */
    void roll() {
        Segment old = active;
        Segment next = Segment.create(
                files, dir, logEndOffset, config.indexIntervalBytes(), config.segmentIndexBytes(), clock.millis());
        segments.put(next.baseOffset(), next);
        active = next;
        old.onRolled();
        flusher.request(this); // the rolled segment is fsynced so the recovery point can pass it
    }

    /**
     * Forces every segment written since the last flush to disk, then acknowledges the appends it covered. Runs on the
     * flusher thread, or on the caller's thread for {@link #flush()}.
     */
    void flushNow() {
        End end;
        lock.lock();
        try {
            if (closed || storageFailure != null) {
                return; // a later fsync that succeeds proves nothing about the pages of the failed one
            }
            end = new End(logEndOffset, active.baseOffset(), active.size());
        } finally {
            lock.unlock();
        }
        long fromBase = Optional.ofNullable(segments.floorKey(recoveryPoint)).orElse(segments.firstKey());
        for (Segment s :
                segments.subMap(fromBase, true, end.segmentBase(), true).values()) {
            try {
                if (s.baseOffset() == end.segmentBase()) {
                    s.flushLog(); // the active segment: see Segment.flushLog
                } else {
                    s.flush();
                }
            } catch (SegmentClosedException e) {
                // deleted by retention or replaced by compaction meanwhile: nothing left to flush
            } catch (RuntimeException e) { // the pages may be lost: nothing after the last good fsync is read
                throw storageFailed(StorageFailures.of("fsync " + this + " (" + dir + ")", e));
            }
        }
        List<PendingAck> acked = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return; // close() made everything durable and acknowledges it itself
            }
            if (end.offset() > recoveryPoint) {
                recoveryPoint = end.offset();
            }
            if (config.flushPolicy() == FlushPolicy.ALWAYS && end.offset() > highWatermark.offset()) {
                highWatermark = end;
            }
            while (!pendingAcks.isEmpty() && pendingAcks.peek().lastOffset() < end.offset()) {
                acked.add(pendingAcks.poll());
            }
        } finally {
            lock.unlock();
        }
        if (!acked.isEmpty()) {
            notifyListeners();
        }
        for (PendingAck ack : acked) {
            ack.future().complete(ack.result());
        }
    }

    /**
     * Takes the partition out of service after a failed write or fsync, as Kafka takes a log directory offline and
     * PostgreSQL stops after a failed fsync: a later fsync that succeeds does not prove that the pages of the failed
     * one reached the disk. Fails the appends waiting for an fsync (called without the lock: their callbacks run on
     * this thread); later appends are refused with the same reason.
     */
    LogStorageException storageFailed(LogStorageException failure) {
        LogStorageException first = markFailed(failure);
        failPendingAcks(first);
        return first;
    }

    /** Takes the partition out of service for {@code failure} (which may be the data directory's); returns the first. */
    private LogStorageException markFailed(LogStorageException failure) {
        lock.lock();
        try {
            if (storageFailure == null) {
                storageFailure = failure;
            }
            return storageFailure;
        } finally {
            lock.unlock();
        }
    }

    /** Fails the appends that wait for an fsync that could not be done. */
    void failPendingAcks(RuntimeException error) {
        List<PendingAck> failed;
        lock.lock();
        try {
            failed = new ArrayList<>(pendingAcks);
            pendingAcks.clear();
        } finally {
            lock.unlock();
        }
        failed.forEach(a -> a.future().completeExceptionally(error));
    }

    @Override
    public void flush() {
        flushNow();
    }

    @Override
    public LogSlice read(long offset, int maxBytes) {
        while (true) {
            try {
                Location at = locate(offset);
                if (at == null) {
                    return new LogSlice(offset, ByteBuffer.allocate(0), highWatermark.offset());
                }
                BatchHeader first = at.segment.headerAt(at.position);
                int available = at.limit - at.position;
                int size = Math.min(available, Math.max(maxBytes, first == null ? 0 : first.sizeInBytes()));
                ByteBuffer buffer = ByteBuffer.allocate(size);
                at.segment.read(at.position, buffer, at.limit);
                buffer.flip();
                buffer.limit(new RecordBatches(buffer).validBytes());
                return new LogSlice(offset, buffer, at.highWatermark);
            } catch (SegmentClosedException e) {
                // the segment was deleted or replaced while we read it: look the offset up again
            }
        }
    }

    @Override
    public LogSlice read(long offset, ByteBuffer buffer) {
        int start = buffer.position();
        while (true) {
            try {
                Location at = locate(offset);
                if (at == null) {
                    return new LogSlice(
                            offset, buffer.duplicate().limit(start).position(start), highWatermark.offset());
                }
                at.segment.read(at.position, buffer, at.limit);
                ByteBuffer slice = buffer.duplicate();
                slice.limit(buffer.position()).position(start);
                int whole = new RecordBatches(slice).validBytes();
                if (whole == 0) {
                    buffer.position(start);
                    throw new IllegalArgumentException("a buffer of " + slice.remaining() + " bytes cannot hold the"
                            + " batch at offset " + offset + "; pass a buffer of at least max.message.bytes ("
                            + config.maxMessageBytes() + ")");
                }
                buffer.position(start + whole);
                slice.limit(start + whole);
                return new LogSlice(offset, slice, at.highWatermark);
            } catch (SegmentClosedException e) {
                buffer.position(start);
            }
        }
    }

    /** Where to read {@code offset}: a segment, the batch position and the readable limit; null at the end. */
    private record Location(Segment segment, int position, int limit, long highWatermark) {}

    private Location locate(long offset) {
        ensureOpen();
        End hw = highWatermark;
        long start = logStartOffset;
        if (offset < start || offset > hw.offset()) {
            throw new OffsetOutOfRangeException("Offset " + offset + " is out of range for " + topic + "/" + partition
                    + ": valid offsets are " + start + " to " + hw.offset() + ".");
        }
        if (offset == hw.offset()) {
            return null;
        }
        for (Map.Entry<Long, Segment> e = segments.floorEntry(offset);
                e != null && e.getKey() <= hw.segmentBase();
                e = segments.higherEntry(e.getKey())) {
            Segment s = e.getValue();
            int limit = s.baseOffset() == hw.segmentBase() ? hw.position() : s.size();
            int position = s.positionOf(offset, limit);
            if (position >= 0) {
                return new Location(s, position, limit, hw.offset());
            }
        }
        return null;
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        while (true) {
            ensureOpen();
            try {
                End hw = highWatermark;
                for (Segment s : segments.headMap(hw.segmentBase(), true).values()) {
                    int limit = s.baseOffset() == hw.segmentBase() ? hw.position() : s.size();
                    long[] found = s.findByTimestamp(timestamp, limit);
                    if (found != null) {
                        return Optional.of(new TimestampOffset(found[0], found[1]));
                    }
                }
                return Optional.empty();
            } catch (SegmentClosedException e) {
                // retention or compaction replaced a segment meanwhile: search again
            }
        }
    }

    @Override
    public long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public long highWatermark() {
        return highWatermark.offset();
    }

    long cleanedUpTo() {
        return cleanedUpTo;
    }

    void markCleanedUpTo(long offset) {
        cleanedUpTo = Math.max(cleanedUpTo, Math.min(offset, logEndOffset));
    }

    long nextDeleteHorizon() {
        return nextDeleteHorizon;
    }

    void setNextDeleteHorizon(long horizon) {
        nextDeleteHorizon = horizon;
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    @Override
    public long sizeInBytes() {
        long total = 0;
        for (Segment s : segments.values()) {
            total += s.size();
        }
        return total;
    }

    @Override
    public int segmentCount() {
        return segments.size();
    }

    Segment activeSegment() {
        return active;
    }

    Collection<Segment> segmentList() {
        return segments.values();
    }

    /** Removes whole segments from the front. Caller holds the lock; the files are deleted after it is released. */
    List<Segment> removeFirstSegments(int count) {
        List<Segment> removed = new ArrayList<>();
        for (int i = 0; i < count && segments.size() > 1; i++) {
            removed.add(segments.pollFirstEntry().getValue());
        }
        logStartOffset = segments.firstKey();
        return removed;
    }

    /** Replaces segments {@code [from, to)} with {@code replacement}. Caller holds the lock. */
    List<Segment> replaceSegments(long from, long to, Segment replacement) {
        List<Segment> old =
                new ArrayList<>(segments.subMap(from, true, to, false).values());
        // the replacement takes the first key in one step, so a reader never finds the range empty
        segments.put(replacement.baseOffset(), replacement);
        old.stream()
                .filter(s -> s.baseOffset() != replacement.baseOffset())
                .forEach(s -> segments.remove(s.baseOffset()));
        return old;
    }

    @Override
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void notifyListeners() {
        for (Runnable l : listeners) {
            l.run();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogClosedException("Partition " + topic + "/" + partition + " is closed.");
        }
    }

    /** Open, and no write or fsync has failed: reads go on after a failure, appends do not. */
    private void ensureWritable() {
        ensureOpen();
        LogStorageException failure = storageFailure;
        if (failure != null) {
            throw new LogStorageException(failure.getMessage(), failure);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Flushes, acknowledges what the flush covered, and closes every segment; after a failed write or fsync, only
     * closes them (what the failure left is recovered when the log opens again).
     *
     * @return whether it closed cleanly: false after a failed write or fsync
     */
    boolean close() {
        End end;
        lock.lock();
        try {
            if (closed) {
                return storageFailure == null;
            }
            closed = true; // from here on nothing is appended
            end = new End(logEndOffset, active.baseOffset(), active.size());
            if (storageFailure != null) {
                for (Segment s : segments.values()) {
                    try {
                        s.close();
                    } catch (RuntimeException e) {
                        // the disk failed already; the next open recovers what is there
                    }
                }
                return false;
            }
        } finally {
            lock.unlock();
        }
        long fromBase = Optional.ofNullable(segments.floorKey(recoveryPoint)).orElse(segments.firstKey());
        for (Segment s : segments.tailMap(fromBase, true).values()) {
            s.flush();
        }
        recoveryPoint = Math.max(recoveryPoint, end.offset());
        List<PendingAck> acked;
        lock.lock();
        try {
            highWatermark = end;
            acked = new ArrayList<>(pendingAcks);
            pendingAcks.clear();
            for (Segment s : segments.values()) {
                s.close();
            }
        } finally {
            lock.unlock();
        }
        acked.forEach(ack -> ack.future().complete(ack.result())); // every append before close is on disk now
        return true;
    }

    /** Closes the segments and deletes the files of a partition whose topic is being deleted. */
    void closeForDelete() {
        lock.lock();
        try {
            closed = true;
            for (Segment s : segments.values()) {
                s.delete();
            }
        } finally {
            lock.unlock();
        }
        failPendingAcks(new LogClosedException("Topic " + topic + " was deleted."));
    }

    @Override
    public String toString() {
        return topic + "/" + partition;
    }
}
