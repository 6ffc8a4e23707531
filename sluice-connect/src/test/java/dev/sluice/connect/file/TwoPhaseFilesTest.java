package dev.sluice.connect.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.broker.ConsumedEvent;
import dev.sluice.broker.TopicPartition;
import dev.sluice.stream.StreamRecord;
import dev.sluice.stream.connector.SinkException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two phases of exactly-once files, and what a restart makes of each moment a crash can come at. */
class TwoPhaseFilesTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;

    @Test
    void shouldPublishOneFilePerPartitionOnlyAfterTheCommit() throws Exception {
        try (TwoPhaseFiles files = new TwoPhaseFiles(dir, "lake")) {
            files.open();
            files.write(List.of(event(P0, 10), event(P1, 3), event(P0, 11)));
            assertThat(published()).isEmpty();
            files.prepare();
            assertThat(published()).isEmpty(); // prepared, not yet committed
            files.publish();
            assertThat(published()).containsExactly("lake-orders-0-10-11.jsonl", "lake-orders-1-3-3.jsonl");
            assertThat(Files.readAllLines(dir.resolve("lake-orders-0-10-11.jsonl")))
                    .containsExactly("{\"offset\":10}", "{\"offset\":11}");
        }
    }

    @Test
    void shouldOnRestartPublishWhatWasCommittedAndDeleteWhatWasNot() throws Exception {
        try (TwoPhaseFiles crashed = new TwoPhaseFiles(dir, "lake")) {
            crashed.open();
            crashed.write(List.of(event(P0, 10), event(P1, 3)));
            crashed.prepare(); // crash after preparing: P0's commit went through, P1's did not
            crashed.write(List.of(event(P0, 12))); // and an unprepared file
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        committed.put(P0, 12L);
        committed.put(P1, 3L); // offset 3 is read again
        try (TwoPhaseFiles restarted = new TwoPhaseFiles(dir, "lake")) {
            restarted.open();
            restarted.recover(committed);
            assertThat(published()).containsExactly("lake-orders-0-10-10.jsonl");
            assertThat(hidden()).isEmpty();
        }
    }

    @Test
    void shouldForgetLostPartitionsAndNotPublishWhatWasPreparedForThem() throws Exception {
        try (TwoPhaseFiles files = new TwoPhaseFiles(dir, "lake")) {
            files.open();
            files.write(List.of(event(P0, 10), event(P1, 3)));
            files.prepare(); // and the commit failed: nothing published yet
            files.write(List.of(event(P0, 11), event(P1, 4)));
            files.forget(List.of(P1)); // the group took P1 away
            files.prepare();
            files.publish(); // the commit held P0's offsets only
            assertThat(published()).containsExactly("lake-orders-0-10-10.jsonl", "lake-orders-0-11-11.jsonl");
            // for P1's next owner to decide on (its recover): the prepared file; the one being written is gone
            assertThat(hidden()).containsExactly(".pending/lake-orders-1-3-3.jsonl");
        }
    }

    @Test
    void shouldLeaveTheNextOwnersFileAloneWhenForgettingALostPartition() throws Exception {
        try (TwoPhaseFiles lost = new TwoPhaseFiles(dir, "lake");
                TwoPhaseFiles next = new TwoPhaseFiles(dir, "lake")) {
            lost.open();
            next.open();
            lost.write(List.of(event(P1, 3)));
            next.recover(Map.of(P1, 3L)); // the group gave P1 to another task while this one was busy
            next.write(List.of(event(P1, 3), event(P1, 4))); // the same file name as the lost one's
            lost.forget(List.of(P1));
            next.prepare();
            next.publish();
            assertThat(published()).containsExactly("lake-orders-1-3-4.jsonl");
            assertThat(Files.readAllLines(dir.resolve("lake-orders-1-3-4.jsonl")))
                    .containsExactly("{\"offset\":3}", "{\"offset\":4}");
        }
    }

    /**
     * A commit that was refused leaves its prepared file for the next commit, which covers both; after a crash before
     * publishing, the restart publishes both (their offsets are committed: nothing reads them again).
     */
    @Test
    void shouldPublishEveryPreparedFileTheCommitCovers() throws Exception {
        try (TwoPhaseFiles crashed = new TwoPhaseFiles(dir, "lake")) {
            crashed.open();
            crashed.write(List.of(event(P1, 3), event(P1, 4)));
            crashed.prepare(); // and the commit was refused
            crashed.write(List.of(event(P1, 5)));
            crashed.prepare(); // committed 6, and a crash before publishing
        }
        try (TwoPhaseFiles restarted = new TwoPhaseFiles(dir, "lake")) {
            restarted.open();
            restarted.recover(Map.of(P1, 6L));
            assertThat(published()).containsExactly("lake-orders-1-3-4.jsonl", "lake-orders-1-5-5.jsonl");
            assertThat(hidden()).isEmpty();
        }
    }

    /**
     * A task that lost P1 without knowing yet prepares its file after the next owner recovered P1; its commit fails.
     * The next owner's later commits cover its offsets, and still a restart does not publish it: the next owner did.
     */
    @Test
    void shouldNotPublishWhatATaskPreparedAfterLosingThePartition() throws Exception {
        try (TwoPhaseFiles lost = new TwoPhaseFiles(dir, "lake");
                TwoPhaseFiles next = new TwoPhaseFiles(dir, "lake")) {
            lost.open();
            next.open();
            lost.recover(Map.of(P1, 3L));
            lost.write(List.of(event(P1, 3), event(P1, 4)));
            next.recover(Map.of(P1, 3L)); // the group gave P1 to another task while this one was busy
            next.write(List.of(event(P1, 3))); // the same first offset, so the same name, as the lost task's file
            lost.prepare(); // moves its own file, not the next owner's; and its commit fails
            next.write(List.of(event(P1, 4), event(P1, 5)));
            next.prepare();
            next.publish(); // committed 6
        }
        try (TwoPhaseFiles restarted = new TwoPhaseFiles(dir, "lake")) {
            restarted.open();
            restarted.recover(Map.of(P1, 6L));
            assertThat(published()).containsExactly("lake-orders-1-3-5.jsonl");
            assertThat(Files.readAllLines(dir.resolve("lake-orders-1-3-5.jsonl")))
                    .containsExactly("{\"offset\":3}", "{\"offset\":4}", "{\"offset\":5}");
            assertThat(hidden()).isEmpty();
        }
    }

    @Test
    void shouldLeaveOtherTasksPartitionsAlone() throws Exception {
        try (TwoPhaseFiles other = new TwoPhaseFiles(dir, "lake")) {
            other.open();
            other.write(List.of(event(P1, 3)));
            other.prepare();
        }
        try (TwoPhaseFiles restarted = new TwoPhaseFiles(dir, "lake")) {
            restarted.open();
            restarted.recover(Map.of(P0, 0L));
            assertThat(hidden()).containsExactly(".pending/lake-orders-1-3-3.jsonl");
        }
    }

    @Test
    void shouldRefuseAWholeBatchWithAnEventThatWasNotReadFromATopic() throws Exception {
        try (TwoPhaseFiles files = new TwoPhaseFiles(dir, "lake")) {
            files.open();
            StreamRecord made = StreamRecord.ofFields(Map.of("n", 1), 0);
            assertThatThrownBy(() -> files.write(List.of(event(P0, 1), made)))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("send the results to a topic first");
            files.prepare();
            files.publish();
            assertThat(published()).isEmpty(); // nothing of the refused batch was written
        }
    }

    private static StreamRecord event(TopicPartition p, long offset) {
        return StreamRecord.of(new ConsumedEvent(
                p.topic(),
                p.partition(),
                offset,
                0,
                null,
                ("{\"offset\":" + offset + "}").getBytes(StandardCharsets.UTF_8),
                List.of()));
    }

    private List<String> published() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private List<String> hidden() throws IOException {
        List<String> out = new ArrayList<>();
        for (String sub : List.of(".in-progress", ".pending")) { // files of the tasks' staging directories too
            try (Stream<Path> files = Files.walk(dir.resolve(sub))) {
                files.filter(Files::isRegularFile) // the tasks' own directories are left out of the names
                        .filter(f -> !f.getFileName().toString().startsWith(".fence-"))
                        .forEach(f -> out.add(sub + "/" + f.getFileName()));
            }
        }
        return out;
    }
}
