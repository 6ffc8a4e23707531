package dev.sluice.log;

import static dev.sluice.log.testing.Batches.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.config.CleanupPolicy;
import dev.sluice.log.config.FlushPolicy;
import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.record.CorruptRecordException;
import dev.sluice.log.record.LogRecord;
import dev.sluice.log.record.RecordBatch;
import dev.sluice.log.record.RecordBatchBuilder;
import dev.sluice.log.testing.ManualClock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PartitionLogTest {
    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    Log log;

    Log open() {
        log = Log.open(LogConfig.of(dir).withClock(clock).withMaintenanceIntervalMs(0));
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    @ParameterizedTest
    @EnumSource(FlushPolicy.class)
    void shouldAssignConsecutiveOffsetsAndReadBackEveryRecord(FlushPolicy policy) {
        PartitionLog p = open().createTopic(
                        "t", 1, TopicConfig.builder().flushPolicy(policy).build())
                .partition(0);

        AppendResult first = p.append(values("a", 3, 10));
        AppendResult second = p.append(values("b", 2, 20));

        assertThat(first).isEqualTo(new AppendResult(0, 2));
        assertThat(second).isEqualTo(new AppendResult(3, 4));
        assertThat(p.logEndOffset()).isEqualTo(5);
        assertThat(p.highWatermark()).isEqualTo(5);
        List<String> values = p.read(0, 1 << 20).records().stream()
                .map(r -> string(r.value()))
                .toList();
        assertThat(values).containsExactly("a-0", "a-1", "a-2", "b-0", "b-1");
        List<LogRecord> fromMiddle = readAll(p, 1);
        assertThat(fromMiddle).extracting(LogRecord::offset).containsExactly(1L, 2L, 3L, 4L);
        assertThat(string(fromMiddle.get(3).value())).isEqualTo("b-1");
    }

    @Test
    void shouldRollSegmentsBySizeAndReadAcrossThem() {
        PartitionLog p = open().createTopic(
                        "t", 1, TopicConfig.builder().segmentBytes(1 << 20).build())
                .partition(0);
        for (int i = 0; i < 50; i++) {
            p.append(sized(100_000, clock.millis()));
        }
        assertThat(p.segmentCount()).isGreaterThanOrEqualTo(5);
        assertThat(readAll(p, 0)).extracting(LogRecord::offset).containsExactlyElementsOf(range(0, 50));
        assertThat(readAll(p, 37).get(0).offset()).isEqualTo(37);
    }

    @Test
    void shouldRollSegmentsByAgeOfTheirRecords() {
        PartitionLog p = open().createTopic(
                        "t", 1, TopicConfig.builder().segmentMs(60_000).build())
                .partition(0);
        p.append(values("a", 1, clock.millis()));
        clock.advance(Duration.ofSeconds(30));
        p.append(values("b", 1, clock.millis()));
        assertThat(p.segmentCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(31));
        p.append(values("c", 1, clock.millis()));
        assertThat(p.segmentCount()).isEqualTo(2);
    }

    @Test
    void shouldKeepOffsetsAndDataAcrossACleanRestart() {
        PartitionLog p = open().createTopic(
                        "t", 2, TopicConfig.builder().segmentBytes(1 << 20).build())
                .partition(1);
        for (int i = 0; i < 30; i++) {
            p.append(sized(100_000, 1_000 + i));
        }
        log.close();

        PartitionLog reopened = open().topic("t").partition(1);
        assertThat(log.recoveryReport().cleanShutdown()).isTrue();
        assertThat(reopened.logEndOffset()).isEqualTo(30);
        assertThat(reopened.append(values("x", 1, 5_000)).baseOffset()).isEqualTo(30);
        assertThat(readAll(reopened, 0)).hasSize(31);
        assertThat(reopened.offsetForTimestamp(1_010)).contains(new TimestampOffset(10, 1_010));
    }

    @Test
    void shouldFindTheFirstRecordAtOrAfterATimestampEvenWhenTimestampsAreOutOfOrder() {
        PartitionLog p = open().createTopic("t", 1, TopicConfig.defaults()).partition(0);
        long[] timestamps = {100, 300, 200, 500, 400, 700};
        for (long ts : timestamps) {
            p.append(values("v", 1, ts));
        }
        assertThat(p.offsetForTimestamp(0)).contains(new TimestampOffset(0, 100));
        assertThat(p.offsetForTimestamp(250)).contains(new TimestampOffset(1, 300));
        assertThat(p.offsetForTimestamp(450)).contains(new TimestampOffset(3, 500));
        assertThat(p.offsetForTimestamp(701)).isEmpty();
    }

    @Test
    void shouldRejectABatchOverMaxMessageBytesWithAHelpfulMessage() {
        PartitionLog p = open().createTopic(
                        "t", 1, TopicConfig.builder().maxMessageBytes(1_000).build())
                .partition(0);
        assertThatThrownBy(() -> p.append(sized(2_000, 1)))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("larger than t's max.message.bytes of 1000");
        assertThat(p.logEndOffset()).isZero();
    }

    @Test
    void shouldRejectAnUntrustedBatchWithABadCrc() {
        PartitionLog p = open().createTopic("t", 1, TopicConfig.defaults()).partition(0);
        ByteBuffer bytes = copy(values("a", 2, 1).buffer());
        bytes.put(bytes.limit() - 1, (byte) 42);
        assertThatThrownBy(() -> p.append(RecordBatch.wrap(bytes)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("CRC mismatch");
    }

    @Test
    void shouldRequireKeysOnACompactedTopic() {
        PartitionLog p = open().createTopic(
                        "t",
                        1,
                        TopicConfig.builder()
                                .cleanupPolicy(CleanupPolicy.COMPACT)
                                .build())
                .partition(0);
        assertThatThrownBy(() -> p.append(values("a", 1, 1))).hasMessageContaining("every record needs a key");
    }

    @Test
    void shouldRefuseReadsOutsideTheLog() {
        PartitionLog p = open().createTopic("t", 1, TopicConfig.defaults()).partition(0);
        p.append(values("a", 2, 1));
        assertThat(p.read(2, 1000).isEmpty()).isTrue();
        assertThatThrownBy(() -> p.read(3, 1000))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessage("Offset 3 is out of range for t/0: valid offsets are 0 to 2.");
    }

    @Test
    void shouldCallListenersWhenTheHighWatermarkMoves() {
        PartitionLog p = open().createTopic("t", 1, TopicConfig.defaults()).partition(0);
        AtomicInteger calls = new AtomicInteger();
        p.addListener(calls::incrementAndGet);
        p.append(values("a", 1, 1));
        assertThat(calls.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldCoverConcurrentWritersWithSharedFsyncsUnderFlushAlways() throws Exception {
        PartitionLog p = open().createTopic(
                        "t",
                        1,
                        TopicConfig.builder().flushPolicy(FlushPolicy.ALWAYS).build())
                .partition(0);
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(p.appendAsync(values("v" + i, 1, i)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        assertThat(p.highWatermark()).isEqualTo(200);
        assertThat(futures.get(199).get().lastOffset()).isEqualTo(199);
    }

    @Test
    void shouldReadIntoACallerBufferOnlyWholeBatches() {
        PartitionLog p = open().createTopic("t", 1, TopicConfig.defaults()).partition(0);
        for (int i = 0; i < 10; i++) {
            p.append(sized(1_000, i));
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(2_500);
        LogSlice slice = p.read(0, buffer);
        assertThat(slice.records()).hasSize(2);
        assertThat(slice.nextOffset()).isEqualTo(2);
        assertThatThrownBy(() -> p.read(0, ByteBuffer.allocate(100))).isInstanceOf(IllegalArgumentException.class);
    }

    static List<LogRecord> readAll(PartitionLog p, long from) {
        List<LogRecord> out = new ArrayList<>();
        long next = from;
        while (next < p.highWatermark()) {
            LogSlice slice = p.read(next, 64 * 1024);
            out.addAll(slice.records());
            next = slice.nextOffset();
        }
        return out;
    }

    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    static RecordBatchBuilder builder() {
        return new RecordBatchBuilder(1 << 16);
    }
}
