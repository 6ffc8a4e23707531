package dev.sluice.bench.jmh;

import dev.sluice.log.Log;
import dev.sluice.log.LogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A log in a fresh temporary directory, deleted on close. */
final class LogState implements AutoCloseable {
    final Path dir;
    final Log log;

    LogState() {
        try {
            this.dir = Files.createTempDirectory("sluice-jmh");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.log = Log.open(LogConfig.of(dir).withMaintenanceIntervalMs(0));
    }

    @Override
    public void close() {
        log.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
