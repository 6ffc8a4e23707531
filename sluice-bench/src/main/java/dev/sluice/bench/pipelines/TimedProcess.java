package dev.sluice.bench.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command as a child process under {@code /usr/bin/time -v} in a run directory: standard output to
 * {@code stdout.txt}, standard error to {@code stderr.txt}, the measurements to {@code time.txt}.
 */
final class TimedProcess {
    private TimedProcess() {}

    static Measured run(List<String> command, Path dir) throws IOException, InterruptedException {
        List<String> timed = new ArrayList<>(
                List.of("/usr/bin/time", "-v", "-o", dir.resolve("time.txt").toString()));
        timed.addAll(command);
        Files.writeString(dir.resolve("command.txt"), String.join(" ", command) + "\n");
        Process process = new ProcessBuilder(timed)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        process.getOutputStream().close();
        // if the harness is stopped, stop the engine too (/usr/bin/time does not pass a signal on)
        Thread stop = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        });
        Runtime.getRuntime().addShutdownHook(stop);
        process.waitFor();
        Runtime.getRuntime().removeShutdownHook(stop);
        return Measured.parse(dir.resolve("time.txt"));
    }

    /** The last {@code lines} lines of a file, joined by " | ". */
    static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
