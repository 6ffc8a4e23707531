package dev.sluice.log.internal;

import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.record.Header;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordBatchBuilder;
import dev.sluice.log.record.RecordCursor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compacts a {@code cleanup.policy=compact} partition: in the segments before the active one, only the latest record of
 * each key survives; offsets never change. A tombstone (a record with a null value) is kept for at least
 * {@code delete.retention.ms} after compaction first sees it (its batch then carries that delete horizon, as in Kafka's
 * v2 format), so that readers catching up still see the delete; after the horizon it is removed.
 *
 * <p>The expensive work runs without the partition lock on segments that no longer change; only the final swap of
 * files and segments takes the lock. Runs on the maintenance thread.
 */
final class Compactor {
    /** Result of one pass. */
    record Result(int segmentsBefore, int segmentsAfter, long recordsRemoved, long bytesBefore, long bytesAfter) {}

    private Compactor() {}

    /** True when the share of not-yet-compacted bytes reaches {@code min.cleanable.dirty.ratio}. */
    static boolean isDue(DefaultPartitionLog log, long now) {
        if (now >= log.nextDeleteHorizon()) {
            return true; // a tombstone kept by an earlier pass may now be removed
        }
        long total = 0;
        long dirty = 0;
        Segment active = log.activeSegment();
        for (Segment s : log.segmentList()) {
            if (s == active) {
                break;
            }
            total += s.size();
            if (s.baseOffset() >= log.cleanedUpTo()) {
                dirty += s.size();
            }
        }
        return dirty > 0 && (double) dirty / total >= log.config().minCleanableDirtyRatio();
    }

    static Result compact(DefaultPartitionLog log, long now) {
        TopicConfig config = log.config();
        List<Segment> cleanable = cleanableSegments(log, now - config.minCompactionLagMs());
        if (cleanable.isEmpty()) {
            return new Result(0, 0, 0, 0, 0);
        }
        Map<ByteBuffer, Long> latest = latestOffsets(cleanable);
        long[] nextHorizon = {Long.MAX_VALUE};
        long bytesBefore = 0;
        long bytesAfter = 0;
        long removed = 0;
        int groupsOut = 0;
        for (List<Segment> group : groups(cleanable, config.segmentBytes())) {
            long end = endOf(log, group);
            Segment out = Segment.create(
                    log.files(),
                    log.dir(),
                    group.get(0).baseOffset(),
                    SegmentNames.CLEANED,
                    config.indexIntervalBytes(),
                    config.segmentIndexBytes(),
                    now);
            try {
                for (Segment in : group) {
                    bytesBefore += in.size();
                    removed += copyLatest(in, out, latest, now, config.deleteRetentionMs(), nextHorizon);
                }
                bytesAfter += out.size();
                out.onRolled();
                out.flush();
            } catch (RuntimeException e) {
                out.delete(); // nothing was committed: drop the half-written copy and try again next pass
                throw e;
            }
            out.close();
            if (swapIn(log, group, end)) {
                groupsOut++;
                log.markCleanedUpTo(end);
            }
        }
        log.setNextDeleteHorizon(nextHorizon[0]);
        return new Result(cleanable.size(), groupsOut, removed, bytesBefore, bytesAfter);
    }

    /** The non-active segments, below the high watermark, whose newest record is older than the compaction lag. */
    private static List<Segment> cleanableSegments(DefaultPartitionLog log, long maxTimestamp) {
        List<Segment> out = new ArrayList<>();
        log.lock.lock();
        try {
            Segment active = log.activeSegment();
            for (Segment s : log.segmentList()) {
                if (s == active || s.nextOffset() > log.highWatermark() || s.maxTimestamp() > maxTimestamp) {
                    break;
                }
                out.add(s);
            }
        } finally {
            log.lock.unlock();
        }
        return out;
    }

    private static Map<ByteBuffer, Long> latestOffsets(List<Segment> segments) {
        Map<ByteBuffer, Long> latest = new HashMap<>();
        for (Segment s : segments) {
            BatchScanner scanner = new BatchScanner(s.file(), 0, s.size(), 1 << 20);
            for (RecordBatch batch = scanner.next(); batch != null; batch = scanner.next()) {
                RecordCursor c = batch.cursor();
                while (c.next()) {
                    latest.put(ByteBuffer.wrap(c.key()), c.offset());
                }
            }
        }
        return latest;
    }

    /** Consecutive segments whose total size fits one segment. */
    private static List<List<Segment>> groups(List<Segment> segments, long maxBytes) {
        List<List<Segment>> groups = new ArrayList<>();
        List<Segment> current = new ArrayList<>();
        long size = 0;
        for (Segment s : segments) {
            if (!current.isEmpty() && size + s.size() > maxBytes) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(s);
            size += s.size();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private static long endOf(DefaultPartitionLog log, List<Segment> group) {
        Long next = log.segments.higherKey(group.get(group.size() - 1).baseOffset());
        return next == null ? Long.MAX_VALUE : next;
    }

    /** Copies the records of {@code in} that are the latest for their key; returns how many were dropped. */
    private static long copyLatest(
            Segment in,
            Segment out,
            Map<ByteBuffer, Long> latest,
            long now,
            long deleteRetentionMs,
            long[] nextHorizon) {
        long dropped = 0;
        BatchScanner scanner = new BatchScanner(in.file(), 0, in.size(), 1 << 20);
        for (RecordBatch batch = scanner.next(); batch != null; batch = scanner.next()) {
            List<Kept> kept = new ArrayList<>();
            boolean hasTombstone = false;
            RecordCursor c = batch.cursor();
            while (c.next()) {
                boolean isLatest = latest.get(ByteBuffer.wrap(c.key())) == c.offset();
                boolean tombstone = c.valueLength() < 0;
                boolean expiredTombstone = tombstone && batch.hasDeleteHorizon() && batch.deleteHorizonMs() <= now;
                if (isLatest && !expiredTombstone) {
                    kept.add(new Kept(c.offset(), c.timestamp(), c.key(), c.value(), c.headers()));
                    hasTombstone |= tombstone;
                } else {
                    dropped++;
                }
            }
            if (kept.isEmpty()) {
                continue;
            }
            boolean needsHorizon = hasTombstone && !batch.hasDeleteHorizon();
            if (kept.size() == batch.recordCount() && !needsHorizon) {
                out.append(batch.duplicate(), now);
            } else {
                long horizon = hasTombstone ? (needsHorizon ? now + deleteRetentionMs : batch.deleteHorizonMs()) : -1;
                out.append(rewrite(batch, kept, horizon), now);
            }
            if (hasTombstone) {
                long horizon = needsHorizon ? now + deleteRetentionMs : batch.deleteHorizonMs();
                nextHorizon[0] = Math.min(nextHorizon[0], horizon);
            }
        }
        return dropped;
    }

    private record Kept(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {}

    private static RecordBatch rewrite(RecordBatch original, List<Kept> kept, long deleteHorizon) {
        // rebased timestamp deltas can take up to 10 bytes each instead of 1
        RecordBatchBuilder b = new RecordBatchBuilder(ByteBuffer.allocate(original.sizeInBytes() + 10 * kept.size()));
        b.startRewrite(original.baseOffset(), deleteHorizon);
        for (Kept k : kept) {
            int delta = (int) (k.offset() - original.baseOffset());
            if (!b.tryAppendWithOffsetDelta(delta, k.timestamp(), k.key(), k.value(), k.headers())) {
                throw new IllegalStateException("rewritten batch outgrew its buffer");
            }
        }
        return b.build();
    }

    /** Installs the committed replacement, unless retention or another change touched the group meanwhile. */
    private static boolean swapIn(DefaultPartitionLog log, List<Segment> group, long end) {
        long base = group.get(0).baseOffset();
        List<Segment> replaced;
        log.lock.lock();
        try {
            boolean unchanged = !log.isClosed() && group.stream().allMatch(s -> log.segments.get(s.baseOffset()) == s);
            Long actualEnd = log.segments.higherKey(group.get(group.size() - 1).baseOffset());
            if (!unchanged || (actualEnd == null ? Long.MAX_VALUE : actualEnd) != end) {
                CompactionFiles.finishOrDiscard(log.dir()); // nothing committed yet: drops the .cleaned files
                return false;
            }
            CompactionFiles.commit(log.dir(), base, end);
            CompactionFiles.install(log.dir(), base, end);
            Segment replacement = Segment.open(
                    log.files(),
                    log.dir(),
                    base,
                    log.config().indexIntervalBytes(),
                    log.config().segmentIndexBytes(),
                    false);
            replaced = log.replaceSegments(base, end, replacement);
        } finally {
            log.lock.unlock();
        }
        for (Segment old : replaced) {
            if (old.baseOffset() == base) {
                old.closeReplaced(); // its files now belong to the replacement
            } else {
                old.delete();
            }
        }
        return true;
    }
}
