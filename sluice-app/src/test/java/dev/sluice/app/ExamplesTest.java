package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pipeline under examples/ is valid, as the README and the docs promise. */
class ExamplesTest {
    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** Running two examples must not mix their events: same topic names, other partitions and settings. */
    @org.junit.jupiter.api.Test
    void shouldEachKeepItsTopicsInADataDirectoryOfItsOwn() throws IOException {
        List<String> brokers = examples().stream()
                .map(f -> dev.sluice.stream.yaml.PipelineYaml.load(f).broker())
                .toList();
        assertThat(brokers)
                .allMatch(b -> b != null && b.startsWith("embedded:data/"))
                .doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldBeValid(Path example) {
        CliRun run = CliRun.of("validate", example.toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
    }
}
