package dev.sluice.connect.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.broker.TopicPartition;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies run one at a time, and a failed one is not forgotten unless its partition's files are thrown away. */
class CopyThreadTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;

    @Test
    void shouldCopyAndDeleteTheBufferItRead() throws Exception {
        Path lines = Files.writeString(dir.resolve("b.jsonl"), "{\"c0\":1}\n{\"c0\":2}\n");
        try (CopyThread copier = new CopyThread("test-copy", dir)) {
            copier.copy(copyOf(lines, dir.resolve("out.parquet")), lines, P0);
            copier.await();
        }
        assertThat(lines).doesNotExist();
        assertThat(dir.resolve("out.parquet")).isNotEmptyFile();
    }

    @Test
    void shouldThrowAFailedCopyAgainUntilItsPartitionIsDiscarded() throws Exception {
        Path lines = Files.writeString(dir.resolve("b.jsonl"), "{\"c0\":1}\n");
        try (CopyThread copier = new CopyThread("test-copy", dir)) {
            copier.copy(copyOf(lines, dir.resolve("no/such/dir/out.parquet")), lines, P0);
            assertThatThrownBy(copier::await)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("cannot write Parquet files to " + dir + ": ");
            assertThatThrownBy(copier::await).isInstanceOf(UncheckedIOException.class); // not forgotten
            assertThatThrownBy(() -> copier.copy("SELECT 1", lines, P0)).isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> copier.settle(List.of(P1))).isInstanceOf(UncheckedIOException.class);
            assertThat(lines).exists(); // kept for the events to be read again

            copier.settle(List.of(P0)); // its files are thrown away: the failure goes with them
            copier.await();
            copier.copy(copyOf(lines, dir.resolve("out.parquet")), lines, P0);
            copier.await();
        }
        assertThat(dir.resolve("out.parquet")).isNotEmptyFile();
    }

    private static String copyOf(Path lines, Path target) {
        return "COPY (" + JsonLines.select(lines, List.of("id"), List.of("BIGINT"), 0) + ") TO '" + target
                + "' (FORMAT PARQUET)";
    }
}
