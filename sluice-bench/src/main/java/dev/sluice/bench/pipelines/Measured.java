package dev.sluice.bench.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code /usr/bin/time -v} measured of one process.
 *
 * @param elapsedSeconds wall-clock time from start to exit
 * @param cpuSeconds user plus system CPU time of the process and its children
 * @param maxRssKib the peak resident set size
 * @param exitStatus the exit status, or 128 + the signal that ended it
 */
record Measured(double elapsedSeconds, double cpuSeconds, long maxRssKib, int exitStatus) {
    /** Reads the report {@code /usr/bin/time -v -o FILE} wrote. */
    static Measured parse(Path report) throws IOException {
        List<String> lines = Files.readAllLines(report);
        double user = 0;
        double system = 0;
        double elapsed = Double.NaN;
        long rss = -1;
        int exit = -1;
        for (String raw : lines) {
            String line = raw.trim();
            String value = line.substring(line.lastIndexOf(": ") + 2).trim();
            if (line.startsWith("User time (seconds)")) {
                user = Double.parseDouble(value);
            } else if (line.startsWith("System time (seconds)")) {
                system = Double.parseDouble(value);
            } else if (line.startsWith("Elapsed (wall clock) time")) {
                elapsed = clock(value);
            } else if (line.startsWith("Maximum resident set size")) {
                rss = Long.parseLong(value);
            } else if (line.startsWith("Exit status")) {
                exit = Integer.parseInt(value);
            } else if (line.startsWith("Command terminated by signal")) {
                exit = 128 + Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        if (Double.isNaN(elapsed) || rss < 0) {
            throw new IOException("no elapsed time or maximum resident set size in " + report + ": " + lines);
        }
        return new Measured(elapsed, user + system, rss, exit);
    }

    /** {@code h:mm:ss} or {@code m:ss.ss} in seconds. */
    private static double clock(String text) {
        double seconds = 0;
        for (String part : text.split(":")) {
            seconds = seconds * 60 + Double.parseDouble(part);
        }
        return seconds;
    }

    double maxRssMib() {
        return maxRssKib / 1024.0;
    }
}
