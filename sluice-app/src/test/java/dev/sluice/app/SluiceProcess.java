package dev.sluice.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the built {@code sluice} jar as a process of its own, as a user runs it, so tests can kill it for real. */
final class SluiceProcess {
    private SluiceProcess() {}

    /**
     * @param workDir the process's working directory
     * @param log where its output and errors go, or null to read them from {@link Process#getInputStream()}
     */
    static Process start(Path workDir, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("sluice.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        if (log != null) {
            builder.redirectOutput(log.toFile());
        }
        return builder.start();
    }

    /** SIGKILL, as a crash: the process gets no chance to clean up. Waits until it is gone. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the process did not end within 30 s of SIGKILL");
        }
    }

    /** SIGTERM, as Ctrl-C: the process stops cleanly. Waits until it ended. */
    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the process did not stop within 30 s of SIGTERM");
        }
    }
}
