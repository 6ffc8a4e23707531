package dev.sluice.connect.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.broker.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which prepared outputs a task that gets a partition publishes, by the partition's fence. */
class PendingOutputsTest {
    private static final TopicPartition P = new TopicPartition("orders", 1);

    @TempDir
    Path dir;

    @Test
    void shouldPublishTheCoveredOutputsOfTheLastOwnerOnly() throws IOException {
        PendingOutputs a = outputs("a");
        PendingOutputs b = outputs("b");
        a.recover(Map.of(P, 0L), x -> {}, Files::delete);
        Files.createFile(a.target(P, 0, 4)); // prepared, committed 5, not published
        b.recover(Map.of(P, 5L), x -> {}, Files::delete); // b gets P: a's output is published (here: left)
        Files.createFile(a.target(P, 5, 9)); // a had lost P without knowing: its commit failed
        Files.createFile(b.target(P, 5, 7)); // b's, committed 8
        List<String> published = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        outputs("c").recover(Map.of(P, 8L), x -> published.add(name(x)), x -> deleted.add(name(x)));
        assertThat(published).containsExactly(".task-b/lake-orders-1-5-7");
        assertThat(deleted).containsExactlyInAnyOrder(".task-a/lake-orders-1-0-4", ".task-a/lake-orders-1-5-9");
    }

    @Test
    void shouldStopARecoveryWhenAnotherTaskTookThePartitionOverMeanwhile() throws IOException {
        PendingOutputs a = outputs("a");
        PendingOutputs stalled = outputs("b");
        PendingOutputs c = outputs("c");
        a.recover(Map.of(P, 0L), x -> {}, Files::delete);
        Files.createFile(a.target(P, 0, 4));
        Files.createFile(a.target(P, 5, 9));
        List<Path> touched = new ArrayList<>();
        assertThatThrownBy(() -> stalled.recover(
                        Map.of(P, 10L),
                        x -> {
                            touched.add(x);
                            if (touched.size() == 1) { // b stalls here, and the group gives P to c
                                c.recover(Map.of(P, 10L), y -> {}, y -> {});
                            }
                        },
                        Files::delete))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("taken over by another task (.task-c)");
        assertThat(touched).hasSize(1);
        assertThat(Files.readString(dir.resolve(".pending/.fence-lake-orders-1")))
                .isEqualTo(".task-c");
    }

    @Test
    void shouldRemoveItsDirectoryAtCloseOnlyWhenNothingWaitsInIt() throws IOException {
        PendingOutputs empty = outputs("a");
        PendingOutputs waiting = outputs("b");
        empty.target(P, 0, 4); // made the directory, prepared nothing
        Files.createFile(waiting.target(P, 0, 4));
        empty.close();
        waiting.close();
        assertThat(dir.resolve(".pending/.task-a")).doesNotExist();
        assertThat(dir.resolve(".pending/.task-b/lake-orders-1-0-4")).exists();
    }

    private PendingOutputs outputs(String owner) {
        return new PendingOutputs(dir.resolve(".pending"), "lake-", "", dir.resolve(".task-" + owner), ".task-");
    }

    private static String name(Path output) {
        return output.getParent().getFileName() + "/" + output.getFileName();
    }
}
