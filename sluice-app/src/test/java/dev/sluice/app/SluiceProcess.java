package dev.sluice.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
