package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code guarantee: exactly-once} on a sink: where it works, and what a user is told where it does not. */
class ExactlyOnceSinkValidationTest {
    private static final String HEAD = """
            pipeline: shop
            topics:
              orders: {partitions: 2}
            sinks:
              - name: out
                from: orders
                guarantee: exactly-once
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a file sink", "    type: file\n    path: out\n", null),
                Arguments.of(
                        "a table",
                        "    type: jdbc\n    url: jdbc:postgresql://127.0.0.1/test\n    table: t\n",
                        "shop.yaml:5:5: sink 'out': jdbc sinks cannot publish exactly once (file sinks can); for a"
                                + " table, write with mode: upsert and a key"),
                Arguments.of(
                        "a file sink with a window",
                        "    type: file\n    path: out\n    steps:\n      - parse: json\n"
                                + "      - window: {tumbling: 1m, aggregate: {n: count()}}\n",
                        "shop.yaml:5:5: sink 'out': an exactly-once sink cannot have a window, stream join or process"
                                + " step yet"),
                Arguments.of(
                        "a file sink told when to roll",
                        "    type: file\n    path: out\n    roll-size: 1MiB\n",
                        "an exactly-once file sink cuts a file per input partition at each commit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldAcceptOrExplain(String what, String sink, String expected) throws Exception {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, HEAD + sink);
        CliRun run = CliRun.of("validate", file.toString());
        if (expected == null) {
            assertThat(run.code()).as(run.out() + run.err()).isZero();
        } else {
            assertThat(run.code()).isNotZero();
            assertThat(run.err()).contains(expected).doesNotContain("Exception");
        }
    }
}
