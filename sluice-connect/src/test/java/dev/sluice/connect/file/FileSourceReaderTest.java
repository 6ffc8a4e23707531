package dev.sluice.connect.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.Event;
import dev.sluice.stream.connector.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines of a real file: line endings, lines longer than a read, keys, and resuming at a position. */
class FileSourceReaderTest {
    @TempDir
    Path dir;

    @Test
    void shouldPublishEachLineAsItCameWithTheKeyFieldAsKey() throws Exception {
        String longName = "x".repeat(200_000); // spans several reads of the file
        Path file = dir.resolve("in.jsonl");
        Files.writeString(
                file,
                "{\"user_id\":\"u1\",\"a\":1}\r\n\n  \r\n{\"a\":2,\"user_id\":7}\n{\"user_id\":\"" + longName
                        + "\"}\nnot json\n{\"a\":\"é\",\"user_id\":\"u3\"}");
        List<Event> events = readAll(new FileSource.Reader(file, "json", "user_id", false), null);

        assertThat(events)
                .extracting(e -> text(e.value()))
                .containsExactly(
                        "{\"user_id\":\"u1\",\"a\":1}",
                        "{\"a\":2,\"user_id\":7}",
                        "{\"user_id\":\"" + longName + "\"}",
                        "not json",
                        "{\"a\":\"é\",\"user_id\":\"u3\"}");
        assertThat(events)
                .extracting(e -> e.key() == null ? null : text(e.key()))
                .containsExactly("u1", "7", longName, null, "u3");
    }

    @Test
    void shouldResumeAfterTheLastPublishedLine() throws Exception {
        Path file = dir.resolve("in.txt");
        Files.writeString(file, "one\ntwo\nthree\n");
        FileSource.Reader first = new FileSource.Reader(file, "text", null, false);
        first.open(null);
        Source.Batch batch = first.poll(Duration.ofMillis(10));
        first.close();
        Files.writeString(file, "four\n", java.nio.file.StandardOpenOption.APPEND);

        List<Event> rest = readAll(new FileSource.Reader(file, "text", null, false), Map.of("offset", 8L));

        assertThat(batch.events()).extracting(e -> text(e.value())).containsExactly("one", "two", "three");
        assertThat(batch.position()).containsEntry("offset", 14L);
        assertThat(rest).extracting(e -> text(e.value())).containsExactly("three", "four");
    }

    private static List<Event> readAll(FileSource.Reader reader, Map<String, Object> position) throws Exception {
        List<Event> events = new ArrayList<>();
        reader.open(position);
        for (Source.Batch b = reader.poll(Duration.ofMillis(10)); b != null; b = reader.poll(Duration.ofMillis(10))) {
            events.addAll(b.events());
        }
        reader.close();
        return events;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
