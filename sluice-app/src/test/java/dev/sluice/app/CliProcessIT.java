package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code sluice.jar} as separate processes: the data-directory lock, and stopping with a signal. */
class CliProcessIT {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    @Test
    void shouldRefuseASecondProcessOnTheSameDataDirectoryAndRecoverWhenTheFirstIsKilled() throws Exception {
        assertThat(run("topics", "create", "t").code()).isZero();
        Path line = Files.write(dir.resolve("one.txt"), List.of("hello"));
        assertThat(run("produce", "t", "-f", line.toString(), "--format", "text")
                        .code())
                .isZero();
        Process holder = start("consume", "t", "--follow");
        try {
            assertThat(readLines(holder, 1)).isEqualTo("hello\n"); // it has the directory open now
            Result refused = run("topics", "list");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err())
                    .isEqualTo("error: Data directory " + dir.resolve("data").toAbsolutePath()
                            + " is in use by another Sluice process (pid " + holder.pid()
                            + "). Stop that process first, or use"
                            + " a different data directory.\n");
        } finally {
            holder.destroyForcibly(); // SIGKILL: the OS drops the lock with the process
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        Result after = run("topics", "list");
        assertThat(after.code()).isZero();
        assertThat(after.out()).contains("t  ");
    }

    @Test
    void shouldCommitAndExitCleanlyOnSigterm() throws Exception {
        run("topics", "create", "t");
        Path lines = Files.write(dir.resolve("in.txt"), List.of("a", "b", "c"));
        assertThat(run("produce", "t", "-f", lines.toString(), "--format", "text")
                        .code())
                .isZero();
        Path errors = dir.resolve("errors.txt"); // a file, as destroy() closes the pipes
        Process follower = new ProcessBuilder(command("consume", "t", "--group", "g", "--follow"))
                .redirectError(errors.toFile())
                .start();
        String firstLines = readLines(follower, 3);
        assertThat(firstLines).isEqualTo("a\nb\nc\n");
        follower.destroy(); // SIGTERM, as Ctrl-C would
        assertThat(follower.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(errors)).isEqualTo("Consumed 3 events from t.\n");
        Result group = run("groups", "describe", "g", "--json");
        assertThat(group.out()).contains("\"committed\":3");
    }

    @Test
    void shouldProduceFromStdinUntilTheFirstBadLineAndSayHowFarItGot() throws Exception {
        run("topics", "create", "t");
        Process p = start("produce", "t", "--key-field", "id");
        p.getOutputStream().write("{\"id\":1}\n{\"id\":2}\n{\"id\":\n{\"id\":4}\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(err)
                .startsWith("error: stdin:3: not valid JSON")
                .contains("(2 events before this line were produced)");
        assertThat(run("consume", "t").out().lines()).containsExactly("{\"id\":1}", "{\"id\":2}");
    }

    private Process start(String... args) throws IOException {
        return new ProcessBuilder(command(args)).redirectErrorStream(false).start();
    }

    private Result run(String... args) throws Exception {
        Process p = new ProcessBuilder(command(args)).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("sluice.jar"),
                "--data-dir",
                dir.resolve("data").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String readLines(Process p, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        int lines = 0;
        while (lines < n) {
            int c = p.getInputStream().read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
            if (c == '\n') {
                lines++;
            }
        }
        return sb.toString();
    }
}
