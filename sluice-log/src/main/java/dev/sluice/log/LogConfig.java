package dev.sluice.log;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * How a {@link Log} runs: where its data lives, its clock, and how often background work happens.
 *
 * @param dataDir directory holding every topic; created if missing
 * @param clock time source for retention, compaction and segment ages (tests inject a manual clock)
 * @param maintenanceIntervalMs how often retention and compaction run in the background; 0 disables them (call
 *     {@link Log#runMaintenance()} yourself)
 * @param checkpointIntervalMs how often recovery points are written, which bounds the data re-validated after a crash
 * @param errorHandler receives errors from background threads; by default they are logged
 * @param files how segment files are opened: the file system, or in tests one that fails on purpose
 */
public record LogConfig(
        Path dataDir,
        Clock clock,
        long maintenanceIntervalMs,
        long checkpointIntervalMs,
        BiConsumer<String, Throwable> errorHandler,
        LogFiles files) {

    public LogConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(errorHandler, "errorHandler");
        Objects.requireNonNull(files, "files");
        if (maintenanceIntervalMs < 0 || checkpointIntervalMs <= 0) {
            throw new IllegalArgumentException("intervals must be positive (maintenance may be 0 to disable it)");
        }
    }

    /** Defaults: the system clock, maintenance every 30 seconds, checkpoints every 10 seconds. */
    public static LogConfig of(Path dataDir) {
        return new LogConfig(dataDir, Clock.systemUTC(), 30_000, 10_000, LogConfig::logError, LogFiles.SYSTEM);
    }

    public LogConfig withClock(Clock clock) {
        return new LogConfig(dataDir, clock, maintenanceIntervalMs, checkpointIntervalMs, errorHandler, files);
    }

    public LogConfig withMaintenanceIntervalMs(long millis) {
        return new LogConfig(dataDir, clock, millis, checkpointIntervalMs, errorHandler, files);
    }

    public LogConfig withErrorHandler(BiConsumer<String, Throwable> handler) {
        return new LogConfig(dataDir, clock, maintenanceIntervalMs, checkpointIntervalMs, handler, files);
    }

    /** With segment files opened by {@code files} (tests: a disk that fails on purpose). */
    public LogConfig withFiles(LogFiles files) {
        return new LogConfig(dataDir, clock, maintenanceIntervalMs, checkpointIntervalMs, errorHandler, files);
    }

    private static void logError(String what, Throwable error) {
        System.getLogger("dev.sluice.log").log(System.Logger.Level.ERROR, what, error);
    }
}
