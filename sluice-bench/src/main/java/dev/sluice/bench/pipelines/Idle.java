package dev.sluice.bench.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits until the machine is idle before a measured run: every second it reads the CPU counters of
 * {@code /proc/stat} and takes the share of all cores' time that was busy (not idle and not waiting for I/O). Idle
 * means below {@code threshold} for three seconds in a row. Gives up after {@code timeoutSeconds} and says how busy it
 * still was, so a run on a busy machine is marked, not hidden.
 */
final class Idle {
    private Idle() {}

    /**
     * What the wait saw.
     *
     * @param idle whether the machine became idle before the time-out
     * @param waitedSeconds how long it waited
     * @param busy the share of CPU time busy in the last second (0 to 1)
     * @param loadAverage the one-minute load average at the end
     */
    record Wait(boolean idle, double waitedSeconds, double busy, double loadAverage) {}

    static Wait await(double threshold, long timeoutSeconds) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long[] before = cpu();
        int quiet = 0;
        double busy = 1;
        while (quiet < 3) {
            Thread.sleep(1000);
            long[] now = cpu();
            long total = now[0] - before[0];
            busy = total == 0 ? 0 : (double) (now[1] - before[1]) / total;
            before = now;
            quiet = busy < threshold ? quiet + 1 : 0;
            if (quiet < 3 && System.nanoTime() - start > timeoutSeconds * 1_000_000_000L) {
                return new Wait(false, seconds(start), busy, loadAverage());
            }
        }
        return new Wait(true, seconds(start), busy, loadAverage());
    }

    /** All jiffies and busy jiffies of every core together. */
    private static long[] cpu() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) { // user .. steal; guest time is already in user
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total, total - idle};
    }

    static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
