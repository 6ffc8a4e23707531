package dev.sluice.log;

import static dev.sluice.log.testing.Batches.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.config.CleanupPolicy;
import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.record.LogRecord;
import dev.sluice.log.testing.CrashImage;
import dev.sluice.log.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionAndCompactionTest {
    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    Log log;

    Log open(Path where) {
        log = Log.open(LogConfig.of(where).withClock(clock).withMaintenanceIntervalMs(0));
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void shouldDeleteSegmentsOlderThanRetentionMs() {
        TopicConfig config = TopicConfig.builder()
                .segmentBytes(1 << 20)
                .retentionMs(3_600_000)
                .build();
        PartitionLog p = open(dir).createTopic("t", 1, config).partition(0);
        for (int i = 0; i < 30; i++) {
            p.append(sized(100_000, clock.millis()));
        }
        clock.advance(Duration.ofMinutes(30));
        for (int i = 0; i < 30; i++) {
            p.append(sized(100_000, clock.millis()));
        }
        int before = p.segmentCount();

        clock.advance(Duration.ofMinutes(45)); // the first 30 records are now 75 minutes old, the rest 45
        log.runMaintenance();

        assertThat(p.segmentCount()).isLessThan(before);
        assertThat(p.logStartOffset()).isBetween(20L, 30L);
        assertThat(p.logEndOffset()).isEqualTo(60);
        assertThatThrownBy(() -> p.read(0, 100)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(PartitionLogTest.readAll(p, p.logStartOffset()).get(0).offset())
                .isEqualTo(p.logStartOffset());
    }

    /**
     * Issue 17, point 3: window results over last month's clicks carry last month's times; retention counted by them
     * deleted the results before their sink read them. Age is the time since a segment was written.
     */
    @Test
    void shouldAgeSegmentsByWhenTheyWereWrittenNotByTheirEventsTimestamps() {
        TopicConfig config = TopicConfig.builder()
                .segmentBytes(1 << 20)
                .retentionMs(3_600_000)
                .build();
        PartitionLog p = open(dir).createTopic("t", 1, config).partition(0);
        long lastYear = clock.millis() - Duration.ofDays(365).toMillis();
        for (int i = 0; i < 30; i++) {
            p.append(sized(100_000, lastYear + i));
        }
        log.runMaintenance();
        assertThat(p.logStartOffset()).as("written just now: kept").isZero();
        clock.advance(Duration.ofMinutes(61));
        log.runMaintenance();
        assertThat(p.logStartOffset()).as("written over an hour ago: gone").isEqualTo(30);
    }

    @Test
    void shouldRollAndDeleteAnExpiredActiveSegmentOfAQuietTopic() {
        PartitionLog p = open(dir)
                .createTopic("t", 1, TopicConfig.builder().retentionMs(60_000).build())
                .partition(0);
        p.append(values("old", 5, clock.millis()));
        clock.advance(Duration.ofMinutes(2));

        log.runMaintenance();

        assertThat(p.logStartOffset()).isEqualTo(5);
        assertThat(p.logEndOffset()).isEqualTo(5);
        assertThat(p.append(values("new", 1, clock.millis())).baseOffset()).isEqualTo(5);
    }

    @Test
    void shouldDeleteOldestSegmentsWhileOverRetentionBytes() {
        TopicConfig config = TopicConfig.builder()
                .segmentBytes(1 << 20)
                .retentionBytes(2 << 20)
                .build();
        PartitionLog p = open(dir).createTopic("t", 1, config).partition(0);
        for (int i = 0; i < 60; i++) {
            p.append(sized(100_000, clock.millis()));
        }
        log.runMaintenance();
        assertThat(p.sizeInBytes()).isLessThanOrEqualTo(3L << 20).isGreaterThanOrEqualTo(2L << 20);
        assertThat(p.logEndOffset()).isEqualTo(60);
    }

    @Test
    void shouldKeepOnlyTheLatestValuePerKeyWithOffsetsUnchanged() {
        PartitionLog p =
                open(dir).createTopic("c", 1, compacted(Duration.ofHours(1))).partition(0);
        Map<String, Long> latestOffset = writeKeyedRounds(p, 12);

        log.runMaintenance();

        List<LogRecord> records = PartitionLogTest.readAll(p, 0);
        Map<String, List<LogRecord>> byKey = records.stream().collect(Collectors.groupingBy(r -> string(r.key())));
        // every key survives, at the offset where its latest value was written, except versions still in the active
        // segment
        byKey.forEach((key, versions) ->
                assertThat(versions.get(versions.size() - 1).offset()).isEqualTo(latestOffset.get(key)));
        long activeBase = lastSegmentBase(p);
        assertThat(records.stream()
                        .filter(r -> r.offset() < activeBase)
                        .collect(Collectors.groupingBy(r -> string(r.key()))))
                .allSatisfy((k, versions) -> assertThat(versions).hasSize(1));
        assertThat(records.size()).isLessThan(12 * 10);
        assertThat(p.logEndOffset()).isEqualTo(120);
        assertThat(string(records.get(records.size() - 1).value())).startsWith("round-11");
    }

    @Test
    void shouldKeepTombstonesForDeleteRetentionThenRemoveThem() {
        PartitionLog p =
                open(dir).createTopic("c", 1, compacted(Duration.ofHours(1))).partition(0);
        writeKeyedRounds(p, 3);
        p.append(keyed("k3", null, clock.millis())); // tombstone
        writeKeyedRounds(p, 40, "k9"); // pushes the tombstone out of the active segment

        log.runMaintenance();
        assertThat(valuesOf(p, "k3")).containsExactly((String) null); // only the tombstone is left

        clock.advance(Duration.ofMinutes(61));
        log.runMaintenance();
        assertThat(valuesOf(p, "k3")).isEmpty();
        assertThat(valuesOf(p, "k1")).isNotEmpty();
    }

    @Test
    void shouldFinishACommittedCompactionSwapAfterACrash() throws IOException {
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        open(after).createTopic("c", 1, compacted(Duration.ofHours(1)));
        writeKeyedRounds(log.topic("c").partition(0), 12);
        List<LogRecord> original = PartitionLogTest.readAll(log.topic("c").partition(0), 0);
        CrashImage.copy(after, before);
        log.runMaintenance();
        List<LogRecord> compacted = PartitionLogTest.readAll(log.topic("c").partition(0), 0);
        log.close();
        log = null;

        // "before" crashed between the commit point and the install: the swap file and its range are on disk
        Path pdir = before.resolve("topics/c/0");
        Files.copy(
                after.resolve("topics/c/0/00000000000000000000.log"),
                pdir.resolve("00000000000000000000.log.swap"),
                StandardCopyOption.REPLACE_EXISTING);
        long end = firstBaseAbove(after.resolve("topics/c/0"), 0);
        Files.writeString(pdir.resolve("00000000000000000000.swap-end"), Long.toString(end), StandardCharsets.US_ASCII);
        Files.writeString(pdir.resolve("00000000000000000042.log.cleaned"), "garbage");

        PartitionLog p = open(before).topic("c").partition(0);
        List<LogRecord> expected = new java.util.ArrayList<>();
        compacted.stream().filter(r -> r.offset() < end).forEach(expected::add);
        original.stream().filter(r -> r.offset() >= end).forEach(expected::add);
        assertThat(expected.size()).isLessThan(original.size());
        assertThat(PartitionLogTest.readAll(p, 0)).isEqualTo(expected);
        assertThat(pdir.resolve("00000000000000000042.log.cleaned")).doesNotExist();
    }

    private TopicConfig compacted(Duration deleteRetention) {
        return TopicConfig.builder()
                .cleanupPolicy(CleanupPolicy.COMPACT)
                .segmentBytes(1 << 20)
                .deleteRetentionMs(deleteRetention.toMillis())
                .build();
    }

    /** Rounds of keys k0..k9 with 30 KB values: about 3 rounds per 1 MiB segment. */
    private Map<String, Long> writeKeyedRounds(PartitionLog p, int rounds, String... only) {
        Map<String, Long> latest = new HashMap<>();
        String pad = "x".repeat(30_000);
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 10; k++) {
                String key = "k" + k;
                if (only.length > 0 && !List.of(only).contains(key)) {
                    continue;
                }
                long offset =
                        p.append(keyed(key, "round-" + r + pad, clock.millis())).baseOffset();
                latest.put(key, offset);
            }
        }
        return latest;
    }

    private List<String> valuesOf(PartitionLog p, String key) {
        return PartitionLogTest.readAll(p, 0).stream()
                .filter(r -> string(r.key()).equals(key))
                .map(r -> r.value() == null ? null : string(r.value()).substring(0, 7))
                .toList();
    }

    private long lastSegmentBase(PartitionLog p) {
        try (var files = Files.list(dir.resolve("topics/c/0"))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".log"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20)))
                    .max()
                    .orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long firstBaseAbove(Path pdir, long base) throws IOException {
        try (var files = Files.list(pdir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".log"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20)))
                    .filter(b -> b > base)
                    .min()
                    .orElse(Long.MAX_VALUE);
        }
    }
}
