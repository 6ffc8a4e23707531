package dev.sluice.log.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Copies a data directory while its log is open: the copy looks exactly like the directory after the process died at
 * that moment (no clean-shutdown marker, untrimmed indexes, no lock held).
 */
public final class CrashImage {
    private CrashImage() {}

    public static Path copy(Path live, Path target) {
        try (Stream<Path> walk = Files.walk(live)) {
            for (Path p : walk.toList()) {
                Path dest = target.resolve(live.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log file of segment {@code base} of a partition. */
    public static Path segment(Path dataDir, String topic, int partition, long base) {
        return dataDir.resolve("topics")
                .resolve(topic)
                .resolve(Integer.toString(partition))
                .resolve(String.format("%020d.log", base));
    }

    public static Path index(Path dataDir, String topic, int partition, long base) {
        return dataDir.resolve("topics")
                .resolve(topic)
                .resolve(Integer.toString(partition))
                .resolve(String.format("%020d.index", base));
    }
}
