package dev.sluice.log;

import static dev.sluice.log.testing.Batches.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.record.LogRecord;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.testing.CrashImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage on disk after a crash: recovery keeps every valid batch before it, reports the rest, and the log opens. */
class RecoveryTest {
    @TempDir
    Path live;

    @TempDir
    Path crashed;

    private static final TopicConfig SMALL_SEGMENTS =
            TopicConfig.builder().segmentBytes(1 << 20).build();

    /** Writes 40 batches of ~100 KB (about 4 segments), then copies the directory as a crash image. */
    private Path crashAfterWriting() {
        try (Log log = Log.open(LogConfig.of(live).withMaintenanceIntervalMs(0))) {
            PartitionLog p = log.createTopic("t", 1, SMALL_SEGMENTS).partition(0);
            for (int i = 0; i < 40; i++) {
                p.append(sized(100_000, i));
            }
            return CrashImage.copy(live, crashed);
        }
    }

    @Test
    void shouldTruncateAtBytesFlippedInTheMiddleOfASegmentAndDropLaterSegments() throws IOException {
        Path dir = crashAfterWriting();
        Path second = CrashImage.segment(dir, "t", 0, 10);
        assertThat(second).exists();
        flip(second, Files.size(second) / 2 + 1_000); // inside the records of the batch holding offset 15

        try (Log log = Log.open(LogConfig.of(dir).withMaintenanceIntervalMs(0))) {
            PartitionLog p = log.topic("t").partition(0);
            RecoveryReport report = log.recoveryReport();
            assertThat(report.cleanShutdown()).isFalse();
            assertThat(report.droppedBytes()).isGreaterThan(2_000_000);
            assertThat(report.describe())
                    .singleElement()
                    .asString()
                    .contains("t/0: dropped", "from offset 15", "CRC mismatch", "00000000000000000010.log");
            // the flipped byte is in the batch holding offset 15: offsets 0..14 survive
            assertThat(p.logEndOffset()).isEqualTo(15);
            assertThat(allRecordsValid(p)).hasSize(15);
            assertThat(p.append(values("after", 1, 99)).baseOffset()).isEqualTo(15);
        }
    }

    @Test
    void shouldDropATornTailBatch() throws IOException {
        Path dir = crashAfterWriting();
        Path last = lastSegment(dir);
        long size = Files.size(last);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(size - 500);
        }

        try (Log log = Log.open(LogConfig.of(dir).withMaintenanceIntervalMs(0))) {
            PartitionLog p = log.topic("t").partition(0);
            assertThat(p.logEndOffset()).isEqualTo(39);
            assertThat(log.recoveryReport().describe())
                    .singleElement()
                    .asString()
                    .contains("torn batch");
            assertThat(allRecordsValid(p)).hasSize(39);
        }
    }

    @Test
    void shouldRecoverACleanImageWithNothingDropped() {
        Path dir = crashAfterWriting();
        try (Log log = Log.open(LogConfig.of(dir).withMaintenanceIntervalMs(0))) {
            assertThat(log.recoveryReport().droppedBytes()).isZero();
            assertThat(log.recoveryReport().partitions().get(0).segmentsValidated())
                    .isGreaterThanOrEqualTo(4);
            assertThat(allRecordsValid(log.topic("t").partition(0))).hasSize(40);
        }
    }

    @Test
    void shouldRebuildADeletedIndexAfterACleanShutdown() throws IOException {
        try (Log log = Log.open(LogConfig.of(live).withMaintenanceIntervalMs(0))) {
            PartitionLog p = log.createTopic(
                            "t",
                            1,
                            TopicConfig.builder()
                                    .segmentBytes(1 << 20)
                                    .set("index.interval.bytes", "1")
                                    .build())
                    .partition(0);
            for (int i = 0; i < 40; i++) {
                p.append(sized(100_000, i));
            }
        }
        Files.delete(CrashImage.index(live, "t", 0, 10));

        try (Log log = Log.open(LogConfig.of(live).withMaintenanceIntervalMs(0))) {
            assertThat(log.recoveryReport().cleanShutdown()).isTrue();
            assertThat(log.recoveryReport().describe()).containsExactly("t/0: rebuilt the indexes of 1 segment");
            PartitionLog p = log.topic("t").partition(0);
            assertThat(p.read(17, 10).records().get(0).offset()).isEqualTo(17);
            assertThat(allRecordsValid(p)).hasSize(40);
        }
        assertThat(CrashImage.index(live, "t", 0, 10)).isNotEmptyFile();
    }

    @Test
    void shouldIgnoreAnUntrimmedActiveIndexFromACrash() {
        Path dir = crashAfterWriting();
        try (Log log = Log.open(LogConfig.of(dir).withMaintenanceIntervalMs(0))) {
            PartitionLog p = log.topic("t").partition(0);
            for (long offset = 0; offset < 40; offset += 7) {
                assertThat(p.read(offset, 10).records().get(0).offset()).isEqualTo(offset);
            }
        }
    }

    /**
     * The active segment's index files are not forced at each flush (the log file is): an operating-system crash may
     * lose their latest pages. Recovery rebuilds them from the log, so every offset and time is found again.
     */
    @Test
    void shouldRebuildTheActiveSegmentsIndexesWhoseLatestPagesWereLost() throws IOException {
        Path dir = crashAfterWriting();
        Path last = lastSegment(dir);
        String base = last.getFileName().toString().replace(".log", "");
        for (String suffix : List.of(".index", ".timeindex")) {
            Path index = last.resolveSibling(base + suffix);
            Files.write(index, new byte[(int) Files.size(index)]); // pages never written back: zeros
        }

        try (Log log = Log.open(LogConfig.of(dir).withMaintenanceIntervalMs(0))) {
            PartitionLog p = log.topic("t").partition(0);
            assertThat(log.recoveryReport().droppedBytes()).isZero();
            assertThat(allRecordsValid(p)).hasSize(40);
            for (long offset = 30; offset < 40; offset++) {
                assertThat(p.read(offset, 10).records().get(0).offset()).isEqualTo(offset);
            }
            long lastTime = p.read(39, 10).records().get(0).timestamp();
            assertThat(p.offsetForTimestamp(lastTime).orElseThrow().offset()).isLessThanOrEqualTo(39);
        }
    }

    static List<LogRecord> allRecordsValid(PartitionLog p) {
        long next = p.logStartOffset();
        List<LogRecord> out = new java.util.ArrayList<>();
        while (next < p.highWatermark()) {
            LogSlice slice = p.read(next, 1 << 20);
            for (RecordBatch b : slice.batches()) {
                b.ensureValid();
            }
            out.addAll(slice.records());
            next = slice.nextOffset();
        }
        return out;
    }

    private static void flip(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0xff);
        }
    }

    private static Path lastSegment(Path dir) throws IOException {
        try (var files = Files.list(dir.resolve("topics/t/0"))) {
            return files.filter(f -> f.toString().endsWith(".log"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
    }
}
