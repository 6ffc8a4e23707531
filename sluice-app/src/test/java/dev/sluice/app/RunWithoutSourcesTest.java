package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run --without-sources}: the stages and sinks of a pipeline file, without its sources. */
class RunWithoutSourcesTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunStagesAndSinksButNoSource() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), """
                pipeline: split
                topics:
                  clicks: {partitions: 2}
                sources:
                  - {name: gen, type: generator, to: clicks, count: 100, fields: {id: sequence}}
                sinks:
                  - {name: files, type: file, from: clicks, path: out}
                """);
        String[] without = {"run", dir.resolve("p.yaml").toString(), "--until-done", "--quiet", "--without-sources"};
        String first = sluice(without);
        assertThat(first).doesNotContain("source gen").contains("sink   files");
        assertThat(lines()).isZero();

        String all = sluice("run", dir.resolve("p.yaml").toString(), "--until-done", "--quiet");
        assertThat(all).contains("source gen            published 100 events");
        assertThat(lines()).isEqualTo(100);
    }

    private String sluice(String... args) {
        CliRun run = CliRun.onDataDir(dir.resolve("data"), args);
        assertThat(run.code()).as(run.err()).isZero();
        return run.out();
    }

    private int lines() throws Exception {
        if (!Files.exists(dir.resolve("out"))) {
            return 0;
        }
        int n = 0;
        try (var files = Files.list(dir.resolve("out"))) {
            for (Path f : files.toList()) {
                n += Files.readAllLines(f).size();
            }
        }
        return n;
    }
}
