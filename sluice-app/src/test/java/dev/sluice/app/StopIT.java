package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice run} as a process ends on every fatal error by itself, and on SIGTERM within its stop timeout, at
 * whatever moment the signal comes: while starting, while running, while stopping after an error.
 */
class StopIT {
    private static final String PIPELINE = """
            pipeline: stops
            topics:
              clicks: {partitions: 2}
              counts: {partitions: 2}
            sources:
              - {name: gen, type: generator, to: clicks, rate: 5000/s, key: user,
                 fields: {user: {int: [1, 50]}, page: {one-of: [/a, /b, /c]}, ts: now}}
            stages:
              - name: per-page
                from: clicks
                steps:
                  - parse: json
                  - window: {tumbling: 1s, by: page, time: ts, aggregate: {n: count()}}
                to: counts
            sinks:
              - {name: out, type: file, from: counts, path: out}
            """;

    @TempDir
    Path dir;

    @Test
    void shouldExitWithTheReasonWhenTheHttpPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process p = start("--http", String.valueOf(taken.getLocalPort()));
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            assertThat(ended).as("ended by itself after the error").isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(output(p))
                    .contains("error: --http: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("pick another port")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void shouldExitWithTheReasonWhenTheDataDirectoryIsRemovedUnderIt() throws Exception {
        Process p = start();
        Path data = dir.resolve("data");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(data.resolve("topics/counts")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2_000); // running
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
        boolean ended = p.waitFor(60, TimeUnit.SECONDS); // noticed at the next recovery-point checkpoint (10 s)
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("ended by itself").isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output(p))
                .contains("error: ")
                .contains("is gone; was the data directory removed while Sluice ran?")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void shouldEndWithinTheStopTimeoutWhateverMomentSigtermComes() throws Exception {
        Random random = new Random();
        for (int round = 0; round < 6; round++) {
            long delayMs = round == 0 ? 0 : random.nextInt(4_000); // the first while the JVM starts
            Process p = start("--stop-timeout", "5s");
            Thread.sleep(delayMs);
            long signalled = System.nanoTime();
            p.destroy(); // SIGTERM
            boolean ended = p.waitFor(10, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - signalled) / 1_000_000;
            if (!ended) {
                p.destroyForcibly();
            }
            assertThat(ended)
                    .as("ended within 10 s of SIGTERM %d ms after start (took %d ms)", delayMs, tookMs)
                    .isTrue();
            assertThat(output(p)).doesNotContain("did not stop within").doesNotContain("Exception");
        }
    }

    @Test
    void shouldRefuseAStopTimeoutThatIsNotADuration() throws Exception {
        Process p = start("--stop-timeout", "soon");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output(p))
                .startsWith("error: --stop-timeout: 'soon' is not a duration")
                .contains("500ms, 5s or 1m");
    }

    private Process start(String... options) throws Exception {
        Path yaml = Files.writeString(dir.resolve("stops.yaml"), PIPELINE);
        String[] args = new String[4 + options.length];
        args[0] = "run";
        args[1] = yaml.toString();
        args[2] = "--data-dir";
        args[3] = dir.resolve("data").toString();
        System.arraycopy(options, 0, args, 4, options.length);
        return SluiceProcess.start(dir, dir.resolve("out.log"), args);
    }

    private String output(Process p) throws Exception {
        return Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
    }
}
