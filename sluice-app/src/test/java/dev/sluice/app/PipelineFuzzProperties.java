package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The pipeline loader and validator on mangled pipelines: the examples with lines dropped, repeated, cut short,
 * re-indented, values replaced by hostile ones, and random bytes. Whatever the file, {@code sluice validate} answers
 * with exit status 0 or 1 and a message for a person: never a crash, a stack trace or "this looks like a bug".
 */
class PipelineFuzzProperties {
    private static final List<String> HOSTILE = List.of(
            "",
            "~",
            "null",
            "-1",
            "0",
            "2147483648",
            "1e309",
            "NaN",
            "[]",
            "{}",
            "[1, [2, [3]]]",
            "{a: {b: {c: 1}}}",
            "'",
            "\"",
            "&anchor x",
            "*anchor",
            "!!binary AAAA",
            "!!java.io.File /",
            "x".repeat(5_000),
            "é中😀",
            "\\u0000",
            "${env:NOPE}",
            "1m",
            "-5s",
            "event.a ==",
            "''.getClass()");

    private Path dir;

    @BeforeProperty
    void createDir() throws IOException {
        dir = Files.createTempDirectory("fuzz");
    }

    @AfterProperty
    void deleteDir() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }

    @Property(tries = 1000)
    void shouldAnswerEveryMangledPipelineWithAMessage(@ForAll("mangled") byte[] file) throws IOException {
        Path yaml = Files.write(dir.resolve("p.yaml"), file);
        CliRun run = CliRun.of("--debug", "validate", yaml.toString()); // a failure shows where
        assertThat(run.code()).as(run.err()).isIn(0, 1);
        assertThat(run.err())
                .as(new String(file, StandardCharsets.UTF_8))
                .doesNotContain("error: unexpected ")
                .doesNotContain("looks like a bug")
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    @Provide
    Arbitrary<byte[]> mangled() throws IOException {
        List<String> examples = new ArrayList<>();
        for (Path f : ExamplesTest.examples()) {
            examples.add(Files.readString(f));
        }
        Arbitrary<byte[]> edited = Combinators.combine(
                        Arbitraries.of(examples),
                        Arbitraries.integers().between(0, 5).list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.integers().between(0, 10_000).list().ofSize(4),
                        Arbitraries.of(HOSTILE))
                .as((text, edits, at, value) -> edit(text, edits, at, value).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, edited), net.jqwik.api.Tuple.of(1, random));
    }

    private static String edit(String text, List<Integer> edits, List<Integer> at, String value) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        for (int i = 0; i < edits.size(); i++) {
            int line = at.get(i) % lines.size();
            String l = lines.get(line);
            switch (edits.get(i)) {
                case 0 -> lines.remove(line);
                case 1 -> lines.add(line, l);
                case 2 -> { // the value after a key's colon
                    int colon = l.indexOf(": ");
                    lines.set(line, colon < 0 ? l + value : l.substring(0, colon + 2) + value);
                }
                case 3 -> lines.set(line, "  " + l);
                case 4 -> lines.set(line, l.stripLeading());
                default -> {
                    String all = String.join("\n", lines);
                    return all.substring(0, at.get(i) % (all.length() + 1));
                }
            }
            if (lines.isEmpty()) {
                return "";
            }
        }
        return String.join("\n", lines);
    }
}
