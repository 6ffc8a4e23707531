package dev.sluice.log.internal;

import dev.sluice.log.LogFiles;
import dev.sluice.log.RecoveryReport.PartitionRecovery;
import dev.sluice.log.config.CleanupPolicy;
import dev.sluice.log.config.TopicConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * Opens a partition directory. After a clean shutdown the segments are trusted; otherwise every segment that may hold
 * data written after the last recovery point is validated batch by batch, the first damaged batch and everything after
 * it are removed, and indexes are rebuilt. Missing or damaged indexes are rebuilt in either case. Runs on one thread
 * before the partition is published.
 */
final class PartitionLoader {
    private final String topic;
    private final int partition;
    private final Path dir;
    private final TopicConfig config;
    private final Clock clock;
    private final LogFiles files;

    private int validated;
    private int rebuilt;
    private long droppedBytes;
    private long droppedFrom = -1;
    private String problem;

    PartitionLoader(String topic, int partition, Path dir, TopicConfig config, Clock clock, LogFiles files) {
        this.topic = topic;
        this.partition = partition;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.files = files;
    }

    /**
     * @param recoveryPoint offset below which data was known to be on disk, or 0 if unknown
     * @param clean whether the log was closed cleanly
     */
    DefaultPartitionLog load(long recoveryPoint, boolean clean, Flusher flusher) {
        CompactionFiles.finishOrDiscard(dir);
        List<Long> bases = listSegmentBases();
        ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
        boolean contiguous = config.cleanupPolicy() != CleanupPolicy.COMPACT;
        long expected = bases.isEmpty() ? 0 : bases.get(0);
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean last = i == bases.size() - 1;
            long nextBase = last ? Long.MAX_VALUE : bases.get(i + 1);
            boolean indexesMissing =
                    !Files.exists(SegmentNames.index(dir, base)) || !Files.exists(SegmentNames.timeIndex(dir, base));
            boolean mayHoldUnflushed = !clean && nextBase > recoveryPoint;
            Segment segment;
            if (mayHoldUnflushed || indexesMissing) {
                segment = recover(base, expected, contiguous, mayHoldUnflushed, indexesMissing);
            } else {
                segment = Segment.open(files, dir, base, config.indexIntervalBytes(), config.segmentIndexBytes(), last);
                if (!clean && !segment.indexesLookSane(nextBase)) {
                    segment.close();
                    segment = recover(base, expected, contiguous, false, true);
                }
            }
            segments.put(base, segment);
            expected = segment.nextOffset();
            if (problem != null) {
                dropLaterSegments(bases.subList(i + 1, bases.size()));
                break;
            }
        }
        if (segments.isEmpty()) {
            segments.put(
                    0L,
                    Segment.create(
                            files, dir, 0, config.indexIntervalBytes(), config.segmentIndexBytes(), clock.millis()));
        }
        Segment last = segments.lastEntry().getValue();
        for (Segment s : segments.headMap(last.baseOffset(), false).values()) {
            s.onRolled();
        }
        last.makeActive();
        if (!clean) {
            segments.tailMap(segments.floorKey(Math.max(recoveryPoint, segments.firstKey())), true)
                    .values()
                    .forEach(Segment::flush);
        }
        return new DefaultPartitionLog(topic, partition, dir, config, clock, files, flusher, segments);
    }

    PartitionRecovery report() {
        return new PartitionRecovery(topic, partition, validated, rebuilt, droppedBytes, droppedFrom, problem);
    }

    private Segment recover(long base, long expected, boolean contiguous, boolean validating, boolean rebuilding) {
        Segment segment = Segment.open(files, dir, base, config.indexIntervalBytes(), config.segmentIndexBytes(), true);
        SegmentRecovery r = segment.recover(expected, contiguous);
        if (validating) {
            validated++;
        }
        if (rebuilding) {
            rebuilt++;
        }
        if (r.droppedBytes() > 0) {
            droppedBytes += r.droppedBytes();
            droppedFrom = segment.nextOffset();
            problem = r.problem() + " in " + segment.logPath().getFileName();
        }
        return segment;
    }

    private void dropLaterSegments(List<Long> later) {
        for (long base : later) {
            try {
                droppedBytes += Files.size(SegmentNames.log(dir, base));
                Files.deleteIfExists(SegmentNames.log(dir, base));
                Files.deleteIfExists(SegmentNames.index(dir, base));
                Files.deleteIfExists(SegmentNames.timeIndex(dir, base));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove segment " + base + " of " + topic + "/" + partition, e);
            }
        }
    }

    private List<Long> listSegmentBases() {
        List<Long> bases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                OptionalLong base = SegmentNames.baseOffsetOf(f, SegmentNames.LOG);
                base.ifPresent(bases::add);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        bases.sort(null);
        return bases;
    }
}
