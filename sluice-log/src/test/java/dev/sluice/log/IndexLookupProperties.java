package dev.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.record.LogRecord;
import dev.sluice.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Reads by offset and by timestamp agree with a brute-force scan, whatever the batch sizes and timestamps. */
class IndexLookupProperties {

    @Property(tries = 25)
    void lookupsMatchABruteForceScan(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 1, max = 20) Integer> batchSizes,
            @ForAll @Size(min = 1200, max = 1200) List<@LongRange(min = 0, max = 10_000) Long> timestamps,
            @ForAll @IntRange(min = 0, max = 2_000) int indexInterval,
            @ForAll @Size(min = 10, max = 10) List<@LongRange(min = -5, max = 10_005) Long> probes)
            throws IOException {
        Path dir = Files.createTempDirectory("index-props");
        try (Log log = Log.open(LogConfig.of(dir).withMaintenanceIntervalMs(0))) {
            TopicConfig config = TopicConfig.builder()
                    .segmentBytes(1 << 20)
                    .set("index.interval.bytes", Integer.toString(indexInterval))
                    .flushPolicy(dev.sluice.log.config.FlushPolicy.OS)
                    .build();
            PartitionLog p = log.createTopic("t", 1, config).partition(0);
            List<long[]> written = new ArrayList<>(); // {offset, timestamp}
            int t = 0;
            for (int size : batchSizes) {
                RecordBatchBuilder b = new RecordBatchBuilder(64 * 1024);
                for (int i = 0; i < size; i++) {
                    b.tryAppend(timestamps.get(t++), null, new byte[50 + (t % 7) * 500], List.of());
                }
                long base = p.append(b.build()).baseOffset();
                for (int i = 0; i < size; i++) {
                    written.add(new long[] {base + i, timestamps.get(t - size + i)});
                }
            }
            for (long[] w : written) {
                LogRecord first = p.read(w[0], 1).records().get(0);
                assertThat(first.offset()).isEqualTo(w[0]);
                assertThat(first.timestamp()).isEqualTo(w[1]);
            }
            for (long probe : probes) {
                Optional<TimestampOffset> expected = written.stream()
                        .filter(w -> w[1] >= probe)
                        .findFirst()
                        .map(w -> new TimestampOffset(w[0], w[1]));
                assertThat(p.offsetForTimestamp(probe)).isEqualTo(expected);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
