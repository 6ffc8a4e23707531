package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stream.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file sink with {@code guarantee: exactly-once}, its process killed with SIGKILL at ten random moments and
 * restarted each time, then stopped cleanly: the published files hold every event exactly once, and no file in the
 * directory is partial.
 */
@ExtendWith(CpuHog.Beside.class)
class FileExactlyOnceKillIT {
    private static final int EVENTS = 600_000;

    @TempDir
    Path dir;

    @Test
    void shouldPublishEveryEventExactlyOnceAcrossTenKills() throws Exception {
        String topics = """
                broker: embedded:data
                topics:
                  orders: {partitions: 3}
                """;
        Files.writeString(dir.resolve("load.yaml"), "pipeline: load\n" + topics + """
                sources:
                  - name: gen
                    type: generator
                    to: orders
                    count: %d
                    seed: 3
                    key: customer
                    fields:
                      id: sequence
                      customer: {int: [1, 500]}
                """.formatted(EVENTS));
        Files.writeString(dir.resolve("export.yaml"), "pipeline: export\n" + topics + """
                sinks:
                  - name: lake
                    type: file
                    from: orders
                    path: out
                    guarantee: exactly-once
                    steps:
                      - parse: json
                      - filter: "event.id % 10 != 3"
                """);
        Process load = sluice("run", "load.yaml", "--until-done", "--quiet");
        assertThat(load.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(load.exitValue())
                .as("the load's exit code (its output is in %s)", logs())
                .isZero();

        Random random = new Random(17);
        for (int kill = 0; kill < 10; kill++) {
            Process p = sluice("run", "export.yaml", "--quiet", "--checkpoint-interval", "200ms");
            if (kill == 0) { // as soon as the first files are published: a fast machine exports the rest in a second
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (lines() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } else {
                Thread.sleep(1_000 + random.nextInt(2_000));
            }
            SluiceProcess.kill(p); // SIGKILL
            if (kill == 0) {
                assertThat(lines()).as("events published before the first kill").isLessThan(EVENTS * 9L / 10);
            }
        }
        Process last = sluice("run", "export.yaml", "--until-done", "--quiet", "--checkpoint-interval", "200ms");
        assertThat(last.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue())
                .as("the last run's exit code (its output is in %s)", logs())
                .isZero();

        Map<Long, Integer> seen = new HashMap<>();
        List<Path> files = published();
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                long id = ((Number) Json.parseObject(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .get("id"))
                        .longValue(); // a partial line would not parse
                seen.merge(id, 1, Integer::sum);
            }
        }
        List<Long> missing = new ArrayList<>();
        List<Long> repeated = new ArrayList<>();
        for (long id = 0; id < EVENTS; id++) {
            int n = seen.getOrDefault(id, 0);
            if (id % 10 == 3) {
                assertThat(n).as("filtered out: %s", id).isZero();
            } else if (n == 0) {
                missing.add(id);
            } else if (n > 1) {
                repeated.add(id);
            }
        }
        assertThat(missing).as("events missing from the files").isEmpty();
        assertThat(repeated).as("events in the files more than once").isEmpty();
        assertThat(files.size()).as("files published over the kills").isGreaterThan(3);
    }

    private long lines() throws IOException {
        long n = 0;
        for (Path f : published()) {
            try (Stream<String> lines = Files.lines(f)) {
                n += lines.count();
            }
        }
        return n;
    }

    /** The published files: the directory's own files, not the hidden in-progress and pending ones. */
    private List<Path> published() throws IOException {
        if (!Files.isDirectory(dir.resolve("out"))) {
            return List.of(); // the sink has not started yet
        }
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The processes' output, kept after the test (target/file-kill-logs). */
    private static Path logs() throws IOException {
        return Files.createDirectories(Path.of("target", "file-kill-logs").toAbsolutePath());
    }

    private Process sluice(String... args) throws IOException {
        return SluiceProcess.start(dir, logs().resolve("sluice-" + System.nanoTime() + ".log"), args);
    }
}
