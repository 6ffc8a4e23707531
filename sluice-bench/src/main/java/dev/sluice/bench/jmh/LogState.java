package dev.sluice.bench.jmh;

import dev.sluice.bench.TempDirs;
import dev.sluice.log.Log;
import dev.sluice.log.LogConfig;
import java.nio.file.Path;

/** A log in a fresh temporary directory, deleted on close. */
final class LogState implements AutoCloseable {
    final Path dir;
    final Log log;

    LogState() {
        this.dir = TempDirs.create("sluice-jmh");
        this.log = Log.open(LogConfig.of(dir).withMaintenanceIntervalMs(0));
    }

    @Override
    public void close() {
        log.close();
        TempDirs.delete(dir);
    }
}
