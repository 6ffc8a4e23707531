package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison events land in the dead-letter topic with their reason; after the cause is fixed, {@code sluice dlq replay}
 * sends them back and the next run delivers them, each exactly once.
 */
class DeadLetterReplayTest {
    @TempDir
    Path dir;

    CliRun sluice(String... args) {
        return CliRun.onDataDir(dir.resolve("data"), args);
    }

    @Test
    void shouldDeadLetterPoisonEventsAndDeliverThemAfterAFixAndAReplay() throws Exception {
        Files.write(dir.resolve("users.csv"), List.of("id,country", "1,PT", "2,DE"));
        Files.writeString(dir.resolve("p.yaml"), """
                pipeline: poison
                topics:
                  clicks: {partitions: 2}
                  rich: {partitions: 2}
                sources:
                  - {name: gen, type: generator, to: clicks, count: 300, malformed: 0.05, fields: {id: sequence, user: {int: [1, 3]}}}
                stages:
                  - name: enrich
                    from: clicks
                    steps:
                      - parse: json
                      - enrich: {file: users.csv, key: user, on: id, fields: [country], missing: fail}
                    to: rich
                sinks:
                  - {name: files, type: file, from: rich, path: out}
                """);
        CliRun first = sluice("run", dir.resolve("p.yaml").toString(), "--until-done", "--quiet");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("sluice dlq show poison.enrich.dlq");
        int delivered = lines();
        assertThat(delivered).isBetween(150, 250);

        CliRun shown = sluice("dlq", "show", "poison.enrich.dlq", "--max", "500", "--json");
        List<String> dead = shown.out().lines().toList();
        assertThat(dead).hasSize(300 - delivered);
        assertThat(dead)
                .anySatisfy(l -> assertThat(l)
                        .contains(
                                "\"step\":\"2:enrich\"",
                                "no row in the enrich table for user = 3",
                                "\"from\":\"clicks/"));
        assertThat(dead).anySatisfy(l -> assertThat(l).contains("\"step\":\"1:parse\"", "not valid JSON"));

        // fix the cause: user 3 exists now. Broken JSON stays broken and will come back to the dead-letter topic.
        Files.write(dir.resolve("users.csv"), List.of("id,country", "1,PT", "2,DE", "3,FR"));
        CliRun replay = sluice("dlq", "replay", "poison.enrich.dlq");
        assertThat(replay.out()).isEqualTo("Replayed " + dead.size() + " events to clicks.\n");
        assertThat(sluice("dlq", "replay", "poison.enrich.dlq").out()).startsWith("Nothing to replay");

        CliRun second = sluice("run", dir.resolve("p.yaml").toString(), "--until-done", "--quiet");
        assertThat(second.code()).isZero();
        long malformed =
                dead.stream().filter(l -> l.contains("\"step\":\"1:parse\"")).count();
        assertThat(lines()).isEqualTo(300 - malformed);
    }

    @Test
    void shouldListAndShowEventsTooLateForTheirWindow() throws Exception {
        Files.writeString(dir.resolve("w.yaml"), """
                pipeline: late
                topics:
                  clicks: {partitions: 1}
                  counts: {partitions: 1}
                stages:
                  - name: count
                    from: clicks
                    steps:
                      - parse: json
                      - window: {tumbling: 1m, time: ts, aggregate: {n: count()}}
                    to: counts
                """);
        Files.writeString(dir.resolve("clicks.jsonl"), """
                {"user": "a", "ts": "2026-11-26T10:00:00Z"}
                {"user": "a", "ts": "2026-11-26T10:00:10Z"}
                {"user": "a", "ts": "2026-11-26T10:02:10Z"}
                {"user": "a", "ts": "2026-11-26T10:00:05Z"}
                """);
        assertThat(sluice("topics", "create", "clicks").code()).isZero();
        assertThat(sluice("produce", "clicks", "-f", dir.resolve("clicks.jsonl").toString(), "--key-field", "user")
                        .code())
                .isZero();
        CliRun run = sluice("run", dir.resolve("w.yaml").toString(), "--until-done", "--quiet");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("late 1,");

        assertThat(sluice("dlq", "list").out()).contains("late.count.late").contains("late.count.dlq");
        CliRun shown = sluice("dlq", "show", "late.count.late", "--json");
        assertThat(shown.out().lines().toList())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("\"step\":\"2:window\"", "late event: its event time 2026-11-26T10:00:05Z"));
    }

    private int lines() throws Exception {
        int n = 0;
        try (var files = Files.list(dir.resolve("out"))) {
            for (Path f : files.toList()) {
                n += Files.readAllLines(f).size();
            }
        }
        return n;
    }
}
