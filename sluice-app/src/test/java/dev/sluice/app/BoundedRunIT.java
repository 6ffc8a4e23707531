package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stream.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 2: {@code sluice run --until-done} as a user runs it, over clicks from a file, ends as a bounded
 * Flink job does: every window of two windowed stages (grouped by page and by user, each behind a by-key topic) is in
 * its sink, the last ones too (the last click is far ahead of the others), each once, with the batch answer, before
 * the process exits; and nothing is left to process.
 */
class BoundedRunIT {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryWindowTheLastOnesTooBeforeItExits() throws Exception {
        Random random = new Random(17);
        List<String> lines = new ArrayList<>();
        Map<String, Long> perPage = new TreeMap<>();
        Map<String, Long> perUser = new TreeMap<>();
        for (int i = 0; i <= 50_000; i++) {
            // 1,000 clicks a minute, up to 3 s out of order; the last one 15 minutes after the others
            long ts = i < 50_000 ? T0 + i * 60L + 3_000 - random.nextInt(3_001) : T0 + 65 * MINUTE;
            String page = "/p" + random.nextInt(7);
            String user = "u" + random.nextInt(2_000);
            lines.add(Json.writeString(Map.of("user", user, "page", page, "ts", ts)));
            String minute = Instant.ofEpochMilli(ts - Math.floorMod(ts, MINUTE)).toString();
            perPage.merge(page + " " + minute, 1L, Long::sum);
            perUser.merge(user + " " + minute, 1L, Long::sum);
        }
        Files.write(dir.resolve("clicks.jsonl"), lines);
        Files.writeString(dir.resolve("counts.yaml"), """
                pipeline: counts
                topics:
                  clicks: {partitions: 3}
                  per-page: {partitions: 1}
                  per-user: {partitions: 2}
                sources:
                  - {name: in, type: file, path: clicks.jsonl, to: clicks, key: user}
                stages:
                  - name: pages
                    from: clicks
                    steps:
                      - parse: json
                      - window: {tumbling: 1m, by: page, time: ts, out-of-order: 5s, aggregate: {views: count()}}
                    to: per-page
                  - name: users
                    from: clicks
                    steps:
                      - parse: json
                      - window: {tumbling: 1m, by: user, time: ts, out-of-order: 5s, aggregate: {views: count()}}
                    to: per-user
                sinks:
                  - {name: page-files, type: file, from: per-page, path: out/pages}
                  - {name: user-files, type: file, from: per-user, path: out/users}
                """);
        Process p = SluiceProcess.start(
                dir, null, "run", "counts.yaml", "--until-done", "--json", "--data-dir", "data", "--timeout", "3m");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        Map<String, Object> summary = Json.parseObject(
                output.lines().reduce((a, b) -> b).orElseThrow().getBytes(StandardCharsets.UTF_8));
        assertThat((Map<?, ?>) summary.get("lag"))
                .as("nothing left to process")
                .allSatisfy((stage, lag) -> assertThat(((Number) lag).longValue())
                        .as("lag of %s", stage)
                        .isZero());
        assertThat((Map<?, ?>) summary.get("metrics"))
                .allSatisfy((stage, m) -> assertThat(((Map<?, ?>) m).get("lastError"))
                        .as("error of %s", stage)
                        .isNull());
        assertThat(results(dir.resolve("out/pages"), "page")).isEqualTo(perPage);
        assertThat(results(dir.resolve("out/users"), "user")).isEqualTo(perUser);
    }

    /** Views by key and minute, from every file of a sink; a window written twice fails. */
    private static Map<String, Long> results(Path files, String key) throws IOException {
        Map<String, Long> got = new TreeMap<>();
        try (Stream<Path> all = Files.list(files)) {
            for (Path f : all.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    Map<String, Object> r = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
                    String id = r.get(key) + " " + r.get("window_start");
                    assertThat(got.put(id, ((Number) r.get("views")).longValue()))
                            .as("written once: %s", id)
                            .isNull();
                }
            }
        }
        return got;
    }
}
