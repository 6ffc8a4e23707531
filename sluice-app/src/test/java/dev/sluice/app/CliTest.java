package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: results, JSON output, and the one-line errors for user mistakes. */
class CliTest {
    @TempDir
    Path dir;

    CliRun sluice(String... args) {
        CliRun run = CliRun.onDataDir(dir.resolve("data"), args);
        assertThat(run.err()).as("no stack trace").doesNotContain("\tat ", "Exception");
        return run;
    }

    @Test
    void shouldCreateProduceAndConsumeWithJsonOutput() throws IOException {
        assertThat(sluice("topics", "create", "clicks", "--partitions", "3").out())
                .isEqualTo("Created topic clicks with 3 partitions.\n");
        Path input = Files.write(
                dir.resolve("in.jsonl"),
                List.of(
                        "{\"user\":\"ana\",\"page\":\"/\",\"ts\":\"2026-11-25T10:00:00Z\"}",
                        "",
                        "{\"user\":\"bo\",\"page\":\"/cart\",\"ts\":1795600000000}"));
        CliRun produced = sluice(
                "produce",
                "clicks",
                "-f",
                input.toString(),
                "--key-field",
                "user",
                "--timestamp-field",
                "ts",
                "-H",
                "source=test",
                "--json");
        assertThat(produced.code()).isZero();
        assertThat(json(produced.out()).get("produced").asLong()).isEqualTo(2);

        CliRun consumed = sluice("consume", "clicks", "--json");
        List<JsonNode> events = consumed.out().lines().map(CliTest::json).toList();
        assertThat(events).hasSize(2);
        JsonNode ana = events.stream()
                .filter(e -> e.get("key").asText().equals("ana"))
                .findFirst()
                .orElseThrow();
        assertThat(ana.get("timestamp").asLong()).isEqualTo(1795600800000L);
        assertThat(ana.get("headers").get("source").asText()).isEqualTo("test");
        assertThat(json(ana.get("value").asText()).get("page").asText()).isEqualTo("/");

        assertThat(json(sluice("topics", "describe", "clicks", "--json").out()).get("partitions"))
                .hasSize(3);
        assertThat(sluice("topics", "list").out()).contains("clicks  3           2");
    }

    @Test
    void shouldResumeAGroupFromItsCommittedOffsetsAndReportLag() {
        sluice("topics", "create", "t");
        produceText("t", 10);
        assertThat(sluice("consume", "t", "--group", "g", "--max", "4").out().lines())
                .containsExactly("e0", "e1", "e2", "e3");
        assertThat(sluice("groups", "describe", "g").out()).contains("t      0          4          10   6");
        assertThat(sluice("consume", "t", "--group", "g").out().lines())
                .hasSize(6)
                .first()
                .isEqualTo("e4");
        JsonNode groups = json(sluice("groups", "list", "--json").out());
        assertThat(groups.get(0).get("totalLag").asLong()).isZero();
    }

    @Test
    void shouldStartFromAnOffsetOrTheEnd() {
        sluice("topics", "create", "t", "-p", "2");
        produceText("t", 6, "--partition", "1");
        assertThat(sluice("consume", "t", "-p", "1", "--offset", "4").out().lines())
                .containsExactly("e4", "e5");
        assertThat(sluice("consume", "t", "--from-end").out()).isEmpty();
    }

    @Test
    void shouldExplainEveryUserMistakeInOneLine() throws IOException {
        sluice("topics", "create", "clicks", "--partitions", "2", "-c", "max.message.bytes=200");
        assertError(sluice("topics", "create", "clicks"), "error: Topic 'clicks' already exists with 2 partitions.");
        assertError(sluice("consume", "clikcs"), "error: Topic 'clikcs' does not exist. Did you mean 'clicks'?");
        assertError(
                sluice("topics", "create", "x", "--partitions", "0"),
                "error: Invalid partition count 0 for topic x: use a number from 1 to 10000.");
        assertError(
                sluice("topics", "create", "my topic"),
                "error: Illegal topic name 'my topic': use only letters, digits, '.', '_' and '-' (for example my-topic).");
        assertError(
                sluice("topics", "create", "y", "-c", "segment.bytes=-1"),
                "error: Invalid value -1 for segment.bytes: must be >= 1048576");
        assertError(
                sluice("topics", "create", "y", "-c", "retention.msec=1d"),
                "error: Unknown topic config 'retention.msec'. Did you mean 'retention.ms'?");

        Path big = Files.writeString(dir.resolve("big.txt"), "x".repeat(500) + "\n");
        CliRun tooLarge = sluice("produce", "clicks", "-f", big.toString(), "--format", "text");
        assertThat(tooLarge.code()).isEqualTo(1);
        assertThat(tooLarge.err()).contains(big + ":1: An event of", "larger than clicks's max.message.bytes of 200");

        Path bad = Files.write(dir.resolve("bad.jsonl"), List.of("{\"a\":1}", "{\"a\":", "[1]"));
        CliRun badJson = sluice("produce", "clicks", "-f", bad.toString());
        assertThat(badJson.code()).isEqualTo(1);
        assertThat(badJson.err())
                .contains(
                        bad + ":2: not valid JSON",
                        bad + ":3: expected a JSON object, got array",
                        "Nothing was produced");
        assertThat(sluice("topics", "describe", "clicks", "--json").out()).contains("\"endOffset\":0");

        Path noKey = Files.write(dir.resolve("nokey.jsonl"), List.of("{\"a\":1}"));
        assertThat(sluice("produce", "clicks", "-f", noKey.toString(), "--key-field", "user")
                        .err())
                .contains(":1: field 'user' (--key-field) is missing. Add it to every line, or drop --key-field.");
        assertError(
                sluice("produce", "clicks", "-f", dir.resolve("missing.jsonl").toString()),
                "error: File " + dir.resolve("missing.jsonl") + " does not exist.");
        assertError(
                sluice("consume", "clicks", "--offset", "3"),
                "error: --offset needs --partition: offsets are per partition.");
        assertError(
                sluice("consume", "clicks", "-p", "9"),
                "error: Partition 9 does not exist: topic clicks has 2 partitions (0-1).");
        assertError(
                sluice("consume", "clicks", "--from-time", "yesterday"),
                "error: --from-time 'yesterday' is not a time: use ISO-8601 (2026-11-25T13:00:00Z), epoch milliseconds,"
                        + " or an age such as 10m or 2h.");
        assertError(
                sluice("groups", "describe", "nobody"),
                "error: Consumer group 'nobody' does not exist (it has no committed offsets). Known groups: ");
    }

    @Test
    void shouldAlterATopicAsTheTooLargeErrorSuggestsAndExplainWhatItCannotChange() throws IOException {
        sluice("topics", "create", "clicks", "-c", "max.message.bytes=200");
        Path big = Files.writeString(dir.resolve("big.txt"), "x".repeat(500) + "\n");
        assertThat(sluice("produce", "clicks", "-f", big.toString(), "--format", "text")
                        .err())
                .contains("sluice topics alter clicks --config max.message.bytes=<bytes>");
        assertThat(sluice("topics", "alter", "clicks", "--config", "max.message.bytes=1KiB")
                        .out())
                .isEqualTo("Set max.message.bytes=1KiB on topic clicks.\n");
        assertThat(sluice("produce", "clicks", "-f", big.toString(), "--format", "text")
                        .code())
                .isZero();
        assertThat(sluice("topics", "describe", "clicks").out()).contains("max.message.bytes = 1024");
        assertError(
                sluice("topics", "alter", "clicks", "-c", "partitions=3"),
                "error: The partition count of a topic cannot be changed here: that would move keys, and so state, to"
                        + " other partitions. Create a new topic and copy the events (a pipeline stage from one to the"
                        + " other).");
        assertError(
                sluice("topics", "alter", "clicks", "-c", "retention.msec=1d"),
                "error: Unknown topic config 'retention.msec'. Did you mean 'retention.ms'?");
        assertError(
                sluice("topics", "alter", "clikcs", "-c", "retention.ms=1d"),
                "error: Topic 'clikcs' does not exist. Did you mean 'clicks'?");
    }

    @Test
    void shouldExplainAnUnusableDataDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun run = CliRun.of("--data-dir", file.toString(), "topics", "list");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo("error: Data directory " + file + " is a file, not a directory. Remove it or"
                        + " choose another data directory.\n");
        CliRun proc = CliRun.of("--data-dir", "/proc/sluice-data", "topics", "list");
        assertThat(proc.code()).isEqualTo(1);
        assertThat(proc.err()).startsWith("error: Cannot create data directory /proc/sluice-data");
    }

    @Test
    void shouldAnswerAnUnknownCommandOrOptionWithUsageHelp() {
        CliRun run = sluice("topics", "craete");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument", "Did you mean 'sluice topics create'?");
        assertThat(sluice("consume", "t", "--frm-beginning").err())
                .contains("Unknown option: '--frm-beginning'", "Did you mean 'sluice consume --from-beginning'?");
    }

    private void produceText(String topic, int n, String... extra) {
        try {
            Path f = dir.resolve("lines-" + n + ".txt");
            Files.write(
                    f,
                    java.util.stream.IntStream.range(0, n)
                            .mapToObj(i -> "e" + i)
                            .toList());
            String[] args = new String[] {"produce", topic, "-f", f.toString(), "--format", "text"};
            String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
            System.arraycopy(extra, 0, all, args.length, extra.length);
            assertThat(sluice(all).code()).isZero();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertError(CliRun run, String firstLine) {
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().lines().findFirst().orElse("")).startsWith(firstLine);
    }

    private static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
