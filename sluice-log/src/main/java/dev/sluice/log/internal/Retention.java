package dev.sluice.log.internal;

import dev.sluice.log.config.TopicConfig;
import java.util.List;

/**
 * Deletes whole segments from the front of a partition when they were last written longer ago than {@code
 * retention.ms} or while the partition is larger than {@code retention.bytes}. Age is the time since the segment was
 * written, not its events' timestamps: events stamped long ago (a replay of last month, an import, window results over
 * old data) are kept as long as any, and never deleted before a pipeline has read them for being old. The active segment is rolled first when it is itself expired, so
 * that a quiet topic also loses its old data. Only data below the high watermark is ever deleted.
 */
final class Retention {
    private Retention() {}

    /** @return the number of segments deleted */
    static int apply(DefaultPartitionLog log, long now) {
        TopicConfig config = log.config();
        List<Segment> removed;
        log.lock.lock();
        try {
            if (log.isClosed()) {
                return 0;
            }
            Segment active = log.activeSegment();
            if (config.retentionMs() >= 0
                    && !active.isEmpty()
                    && active.lastWrittenAt() < now - config.retentionMs()
                    && active.nextOffset() <= log.highWatermark()) {
                log.roll();
            }
            int count = 0;
            long total = log.sizeInBytes();
            for (Segment s : log.segmentList()) {
                if (s == log.activeSegment() || s.nextOffset() > log.highWatermark()) {
                    break;
                }
                boolean expired =
                        config.retentionMs() >= 0 && !s.isEmpty() && s.lastWrittenAt() < now - config.retentionMs();
                boolean oversize = config.retentionBytes() >= 0 && total - s.size() >= config.retentionBytes();
                if (!expired && !oversize) {
                    break;
                }
                total -= s.size();
                count++;
            }
            removed = log.removeFirstSegments(count);
        } finally {
            log.lock.unlock();
        }
        removed.forEach(Segment::delete);
        return removed.size();
    }
}
