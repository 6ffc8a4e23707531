package dev.sluice.log;

import static dev.sluice.log.testing.Batches.string;
import static dev.sluice.log.testing.Batches.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.config.TopicConfig;
import dev.sluice.log.record.LogRecord;
import dev.sluice.log.testing.FailingDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up or fails an fsync: whole batches only, a clear error, every acknowledged event readable, and
 * nothing written after the failure readable or acknowledged.
 */
class StorageFailureTest {
    @TempDir
    Path dir;

    private final FailingDisk disk = new FailingDisk();

    private Log open(LogFiles files) {
        return Log.open(LogConfig.of(dir).withMaintenanceIntervalMs(0).withFiles(files));
    }

    @Test
    void shouldKeepWholeBatchesAndSayWhatToDoWhenTheDiskFillsMidBatch() {
        List<String> acknowledged = new ArrayList<>();
        try (Log log = open(disk)) {
            PartitionLog p = log.createTopic("t", 1, TopicConfig.defaults()).partition(0);
            for (int b = 0; b < 10; b++) {
                p.append(values("ok" + b, 100, b));
                for (int i = 0; i < 100; i++) {
                    acknowledged.add("ok" + b + "-" + i);
                }
            }
            disk.fillAfter(500); // the next batch, ~2 KB, gets 500 bytes into the file
            assertThatThrownBy(() -> p.append(values("cut", 100, 10)))
                    .isInstanceOf(LogStorageException.class)
                    .hasMessageStartingWith("No space left on the disk of the data directory: could not write t/0")
                    .hasMessageContaining("Free space on that disk, then restart.")
                    .hasMessageContaining("Every acknowledged event is kept");
            disk.fillAfter(Long.MAX_VALUE); // space again: the partition still refuses until a restart recovers it
            assertThatThrownBy(() -> p.append(values("later", 1, 11)))
                    .isInstanceOf(LogStorageException.class)
                    .hasMessageContaining("No space left");
            assertThat(p.logEndOffset()).isEqualTo(1_000);
            assertThat(valuesOf(p)).isEqualTo(acknowledged);
        }
        try (Log log = open(LogFiles.SYSTEM)) {
            PartitionLog p = log.topic("t").partition(0);
            assertThat(log.recoveryReport().cleanShutdown()).isFalse();
            assertThat(valuesOf(p)).isEqualTo(acknowledged); // no piece of the cut batch, no gap
            assertThat(p.append(values("after", 1, 12)).baseOffset()).isEqualTo(1_000);
        }
    }

    @Test
    void shouldRefuseAppendsAndShowNothingWrittenAfterAFailedFsync() {
        try (Log log = open(disk)) {
            PartitionLog p = log.createTopic("t", 1, TopicConfig.defaults()).partition(0);
            for (int b = 0; b < 3; b++) {
                p.append(values("ok" + b, 10, b));
            }
            disk.failNextFsync();
            CompletableFuture<AppendResult> unsure = p.appendAsync(values("unsure", 10, 3));
            assertThatThrownBy(unsure::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(LogStorageException.class)
                    .hasMessageStartingWith("Could not fsync t/0")
                    .hasMessageContaining("Input/output error")
                    .hasMessageContaining("Check the disk");
            assertThatThrownBy(() -> p.append(values("after", 1, 4))).isInstanceOf(LogStorageException.class);
            p.flush(); // an fsync that would succeed now proves nothing about the pages of the failed one
            assertThat(p.highWatermark()).isEqualTo(30);
            assertThat(valuesOf(p)).hasSize(30).allMatch(v -> v.startsWith("ok"));
        }
        try (Log log = open(LogFiles.SYSTEM)) { // restarted: recovered from what is on disk, and writable again
            PartitionLog p = log.topic("t").partition(0);
            assertThat(log.recoveryReport().cleanShutdown()).isFalse();
            assertThat(valuesOf(p).subList(0, 30)).allMatch(v -> v.startsWith("ok"));
            long end = p.logEndOffset();
            assertThat(p.append(values("after", 1, 5)).baseOffset()).isEqualTo(end);
        }
    }

    private static List<String> valuesOf(PartitionLog p) {
        List<String> out = new ArrayList<>();
        for (LogRecord r : RecoveryTest.allRecordsValid(p)) {
            out.add(string(r.value()));
        }
        return out;
    }
}
